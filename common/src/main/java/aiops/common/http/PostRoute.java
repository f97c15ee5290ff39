package aiops.common.http;

import aiops.common.auth.Principal;
import aiops.common.auth.Role;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

/**
 * A JSON POST endpoint served on Jetty's core API in front of the Javalin routes: the high-rate receivers, where the
 * servlet layer, route matching and async context cost more than the work. It sits behind the same door as every
 * route (trace context, security headers, credential, role, rate limit, body limit, CORS, {@code {"error":{...}}}
 * answers); the handler sees the whole body and answers when its stage completes, an {@link ApiError} as its error.
 */
public record PostRoute(String path, Role role, Handler handler) {

    /** Serves one request; may throw or complete exceptionally with an {@link ApiError}. */
    @FunctionalInterface
    public interface Handler {
        CompletionStage<Answer> handle(Request request);
    }

    /** An admitted request: its whole body, its headers by name, its trace and its caller. */
    public record Request(byte[] body, UnaryOperator<String> headers, TraceContext trace, Principal principal) {

        public String header(final String name) {
            return headers.apply(name);
        }
    }

    /** A JSON answer. */
    public record Answer(int status, String json) {
    }
}
