package aiops.common.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The HTTP server of a process: health at {@code /health/live} and {@code /health/ready}, Prometheus metrics at
 * {@code /metrics}, plus whatever routes the process adds. Errors answer as JSON without stack traces. Every
 * request continues or starts a W3C trace; its ids are in the log MDC and the response's {@code traceparent}.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    /** Request header (and response header) carrying W3C trace context. */
    public static final String TRACEPARENT = "traceparent";
    /** Request attribute holding the request's {@link TraceContext}. */
    public static final String TRACE_ATTRIBUTE = "aiops.trace";

    private final Javalin app;

    private ApiServer(final Javalin app) {
        this.app = app;
    }

    public static ObjectMapper jsonMapper() {
        return new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    /**
     * Starts the server and returns once it accepts connections.
     *
     * @param routes adds the process's own routes
     */
    public static ApiServer start(final String host, final int port, final Readiness readiness,
                                  final PrometheusMeterRegistry metrics, final Consumer<RoutesConfig> routes) {
        final Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jsonMapper(new JavalinJackson(jsonMapper(), false));
            config.jetty.host = host;
            config.jetty.port = port;
            config.routes.before(ctx -> {
                final TraceContext trace = TraceContext.continueOrStart(ctx.header(TRACEPARENT));
                ctx.attribute(TRACE_ATTRIBUTE, trace);
                ctx.header(TRACEPARENT, trace.traceparent());
                MDC.put("trace_id", trace.traceId());
                MDC.put("span_id", trace.spanId());
            });
            config.routes.after(ctx -> {
                MDC.remove("trace_id");
                MDC.remove("span_id");
            });
            config.routes.get("/health/live", ctx -> ctx.json(Map.of("status", "UP")));
            config.routes.get("/health/ready", ctx -> {
                final Map<String, Boolean> checks = readiness.evaluate();
                final boolean ready = checks.values().stream().allMatch(Boolean::booleanValue);
                final Map<String, Object> body = new LinkedHashMap<>();
                body.put("status", ready ? "UP" : "DOWN");
                body.put("checks", checks);
                ctx.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json(body);
            });
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(metrics.scrape()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
                ctx.status(HttpStatus.INTERNAL_SERVER_ERROR)
                        .json(Map.of("error", "internal_error", "message", "the request could not be processed"));
            });
            config.routes.error(404, ctx -> ctx.json(Map.of("error", "not_found", "path", ctx.path())));
            routes.accept(config.routes);
        });
        app.start();
        return new ApiServer(app);
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
