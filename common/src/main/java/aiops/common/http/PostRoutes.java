package aiops.common.http;

import aiops.common.auth.Principal;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The Jetty handler in front of Javalin's servlet context that serves the {@link PostRoute}s (a POST to one of their
 * exact paths) and hands every other request on. The answer is written when the route's stage completes, on whatever
 * thread completes it, so no request thread waits for it.
 */
final class PostRoutes extends Handler.Wrapper {

    private static final Logger LOG = LoggerFactory.getLogger(PostRoutes.class);
    private static final ObjectMapper JSON = ApiServer.jsonMapper();

    private final Map<String, PostRoute> routes;
    private final HttpSecurity security;
    private final HttpMetrics metrics;

    PostRoutes(final List<PostRoute> routes, final HttpSecurity security, final HttpMetrics metrics) {
        this.routes = routes.stream().collect(Collectors.toUnmodifiableMap(PostRoute::path, Function.identity()));
        this.security = security;
        this.metrics = metrics;
    }

    @Override
    public boolean handle(final Request request, final Response response, final Callback answered) throws Exception {
        final PostRoute route = HttpMethod.POST.is(request.getMethod())
                ? route(Request.getPathInContext(request)) : null;
        if (route == null) {
            return super.handle(request, response, answered);
        }
        final long start = System.nanoTime();
        // Recorded before Jetty completes the exchange, while the response still holds its status.
        final Callback callback = Callback.from(() -> metrics.record("POST", route.path(), response.getStatus(),
                System.nanoTime() - start), answered);
        final HttpFields headers = request.getHeaders();
        final HttpFields.Mutable out = response.getHeaders();
        final TraceContext trace = ApiServer.enter(headers.get(ApiServer.TRACEPARENT), out::put);
        allowOrigin(headers.get(HttpHeader.ORIGIN), out);
        final Principal principal;
        try {
            principal = ApiServer.admit(security, headers.get(HttpHeader.AUTHORIZATION), headers.get("X-API-Key"),
                    route.role(), request.getLength(), out::put);
        } catch (ApiError e) {
            answer(response, callback, e);
            return true;
        }
        Content.Source.asByteArrayAsync(request, (int) Math.min(Integer.MAX_VALUE - 8, security.maxBodyBytes()))
                .whenComplete((body, failure) -> {
                    if (failure != null) {
                        answer(response, callback, unreadable(failure));
                    } else {
                        serve(route, new PostRoute.Request(body, headers::get, trace, principal), response, callback);
                    }
                });
        return true;
    }

    // As Javalin does, a trailing slash does not make another path: a sender configured with one still arrives.
    private PostRoute route(final String path) {
        final PostRoute exact = routes.get(path);
        return exact != null || path == null || path.length() < 2 || !path.endsWith("/")
                ? exact : routes.get(path.substring(0, path.length() - 1));
    }

    private void serve(final PostRoute route, final PostRoute.Request request, final Response response,
                       final Callback callback) {
        MDC.put("trace_id", request.trace().traceId());
        MDC.put("span_id", request.trace().spanId());
        try {
            route.handler().handle(request).whenComplete((answer, failure) -> {
                if (failure == null) {
                    write(response, callback, answer.status(), answer.json());
                } else {
                    fail(route, response, callback,
                            failure instanceof CompletionException ? failure.getCause() : failure);
                }
            });
        } catch (RuntimeException e) {
            fail(route, response, callback, e);
        } finally {
            MDC.remove("trace_id");
            MDC.remove("span_id");
        }
    }

    private static void fail(final PostRoute route, final Response response, final Callback callback,
                             final Throwable failure) {
        if (failure instanceof ApiError error) {
            answer(response, callback, error);
        } else {
            LOG.error("request POST {} failed", route.path(), failure);
            answer(response, callback, new ApiError(500, "internal_error", "the request could not be processed"));
        }
    }

    // A read fails with an IOException when the client broke off; the other failure is a body outgrowing the limit
    // (a chunked body has no Content-Length for the door to refuse up front).
    private ApiError unreadable(final Throwable failure) {
        final Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
        if (cause instanceof IOException) {
            return ApiError.badRequest("invalid_body", "the body could not be read", "body");
        }
        return new ApiError(413, "payload_too_large", "request body exceeds " + security.maxBodyBytes() + " bytes");
    }

    private void allowOrigin(final String origin, final HttpFields.Mutable out) {
        if (origin != null && security.corsOrigins().contains(origin)) {
            out.put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            out.put(HttpHeader.VARY, HttpHeader.ORIGIN.asString());
        }
    }

    private static void answer(final Response response, final Callback callback, final ApiError error) {
        error.headers().forEach(response.getHeaders()::put);
        try {
            write(response, callback, error.status(), JSON.writeValueAsString(error.body()));
        } catch (JsonProcessingException e) {
            callback.failed(e);
        }
    }

    private static void write(final Response response, final Callback callback, final int status, final String json) {
        final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }
}
