package aiops.common.http;

import aiops.common.auth.Principal;
import aiops.common.auth.RateLimiter;
import aiops.common.auth.Role;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import io.javalin.security.RouteRole;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The HTTP server of a process: health at {@code /health/live} and {@code /health/ready} (open), Prometheus metrics
 * at {@code /metrics} (authenticated unless configured public), plus the process's own routes. Every other request
 * needs a credential, the role its route declares (GET routes without one need readonly, others admin), and room in
 * the caller's rate limit. Errors answer as {@code {"error":{...}}} without stack traces; security headers go on
 * every response; every request continues or starts a W3C trace whose ids are in the log MDC.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    /** Request header (and response header) carrying W3C trace context. */
    public static final String TRACEPARENT = "traceparent";
    /** Request attribute holding the request's {@link TraceContext}. */
    public static final String TRACE_ATTRIBUTE = "aiops.trace";
    /** Request attribute holding the authenticated {@link Principal}. */
    public static final String PRINCIPAL_ATTRIBUTE = "aiops.principal";

    private final Javalin app;

    private ApiServer(final Javalin app) {
        this.app = app;
    }

    public static ObjectMapper jsonMapper() {
        return new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    /** A servlet served at {@code path} (and below it) behind the same authentication, needing at least {@code role}. */
    public record Mount(String path, HttpServlet servlet, Role role) {
    }

    /**
     * Starts the server and returns once it accepts connections.
     *
     * @param routes adds the process's own routes, each with the {@link Role} it requires
     */
    public static ApiServer start(final String host, final int port, final Readiness readiness,
                                  final PrometheusMeterRegistry metrics, final HttpSecurity security,
                                  final Consumer<RoutesConfig> routes) {
        return start(host, port, readiness, metrics, security, routes, List.of());
    }

    public static ApiServer start(final String host, final int port, final Readiness readiness,
                                  final PrometheusMeterRegistry metrics, final HttpSecurity security,
                                  final Consumer<RoutesConfig> routes, final List<Mount> mounts) {
        return start(host, port, readiness, metrics, security, routes, mounts, List.of());
    }

    /** With {@link PostRoute}s served in front of the Javalin routes, behind the same door. */
    public static ApiServer start(final String host, final int port, final Readiness readiness,
                                  final PrometheusMeterRegistry metrics, final HttpSecurity security,
                                  final Consumer<RoutesConfig> routes, final List<Mount> mounts,
                                  final List<PostRoute> posts) {
        final HttpMetrics requests = new HttpMetrics(metrics);
        final Javalin app = Javalin.create(config -> {
            if (!posts.isEmpty()) {
                // Javalin puts its servlet context inside the handler it finds on the server.
                config.jetty.modifyServer(server -> server.setHandler(new PostRoutes(posts, security, requests)));
            }
            config.requestLogger.http((ctx, millis) -> requests.record(ctx.method().name(), route(ctx),
                    ctx.statusCode(), (long) (millis * 1_000_000)));
            config.jetty.modifyServletContextHandler(handler -> mounts.forEach(m -> {
                final ServletHolder holder = new ServletHolder(
                        new GuardedServlet(m.servlet(), security, m.role(), m.path(), requests));
                holder.setAsyncSupported(true);
                handler.addServlet(holder, m.path());
                handler.addServlet(holder, m.path() + "/*");
            }));
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jsonMapper(new JavalinJackson(jsonMapper(), false));
            config.jetty.host = host;
            config.jetty.port = port;
            config.http.maxRequestSize = security.maxBodyBytes();
            if (!security.corsOrigins().isEmpty()) {
                config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
                    security.corsOrigins().forEach(rule::allowHost);
                    rule.allowCredentials = false;
                }));
            }
            config.routes.before(ApiServer::startRequest);
            config.routes.beforeMatched(ctx -> guard(ctx, security));
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
                ctx.status(ready ? 200 : 503).json(body);
            });
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(metrics.scrape()), Role.READONLY);
            config.routes.exception(ApiError.class, (e, ctx) -> answer(ctx, e));
            config.routes.exception(HttpResponseException.class, (e, ctx) -> answer(ctx, fromJavalin(e)));
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
                answer(ctx, new ApiError(500, "internal_error", "the request could not be processed"));
            });
            config.routes.error(404, ctx -> {
                if (ctx.result() == null) {
                    answer(ctx, new ApiError(404, "not_found", "no such endpoint: " + ctx.path()));
                }
            });
            config.routes.error(405, ctx -> answer(ctx, new ApiError(405, "method_not_allowed",
                    ctx.method() + " is not allowed on " + ctx.path())));
            routes.accept(config.routes);
        });
        app.start();
        return new ApiServer(app);
    }

    /** The template of the route {@code ctx} matched; a request no route matched has none. */
    private static String route(final Context ctx) {
        try {
            final Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
            return endpoint == null ? HttpMetrics.UNMATCHED : endpoint.path;
        } catch (RuntimeException e) {
            return HttpMetrics.UNMATCHED;
        }
    }

    private static void startRequest(final Context ctx) {
        final TraceContext trace = enter(ctx.header(TRACEPARENT), ctx::header);
        ctx.attribute(TRACE_ATTRIBUTE, trace);
        MDC.put("trace_id", trace.traceId());
        MDC.put("span_id", trace.spanId());
    }

    /**
     * What every request gets first, whichever way it is served: its trace (the caller's {@code traceparent}
     * continued, or a new one), echoed in the answer, and the security headers.
     */
    static TraceContext enter(final String traceparent, final java.util.function.BiConsumer<String, String> header) {
        final TraceContext trace = TraceContext.continueOrStart(traceparent);
        header.accept(TRACEPARENT, trace.traceparent());
        SECURITY_HEADERS.forEach(header);
        return trace;
    }

    /** Headers every response carries. */
    static final Map<String, String> SECURITY_HEADERS = securityHeaders();

    private static Map<String, String> securityHeaders() {
        final Map<String, String> h = new LinkedHashMap<>();
        h.put("X-Content-Type-Options", "nosniff");
        h.put("X-Frame-Options", "DENY");
        h.put("Referrer-Policy", "no-referrer");
        h.put("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
        h.put("Cache-Control", "no-store");
        h.put("Strict-Transport-Security", "max-age=31536000");
        return java.util.Collections.unmodifiableMap(h);
    }

    private static void guard(final Context ctx, final HttpSecurity security) {
        final String path = ctx.path();
        if (ctx.method() == HandlerType.OPTIONS || path.startsWith("/health/")
                || AuthRoutes.publicPaths().contains(path)
                || ("/metrics".equals(path) && security.metricsPublic())) {
            return;
        }
        final Principal principal = admit(security, ctx.header("Authorization"), ctx.header("X-API-Key"),
                requiredRole(ctx), ctx.contentLength(), ctx::header);
        ctx.attribute(PRINCIPAL_ATTRIBUTE, principal);
    }

    /**
     * The one door of every route and mounted servlet: the credential, the role, the caller's rate limit and the
     * body size. Rate-limit headers go through {@code header}; a refusal is an {@link ApiError}.
     */
    static Principal admit(final HttpSecurity security, final String authorization, final String apiKey,
                           final Role required, final long contentLength,
                           final java.util.function.BiConsumer<String, String> header) {
        final Principal principal = security.authenticator().authenticate(authorization, apiKey);
        if (!principal.role().includes(required)) {
            throw ApiError.forbidden("this needs the " + required.wireName() + " role; the key has "
                    + principal.role().wireName());
        }
        final RateLimiter.Decision decision = security.rateLimiter().tryAcquire(principal);
        header.accept("X-RateLimit-Limit", Long.toString(decision.limit()));
        header.accept("X-RateLimit-Remaining", Long.toString(decision.remaining()));
        if (!decision.allowed()) {
            header.accept("X-RateLimit-Reset", Long.toString(decision.retryAfterSeconds()));
            throw new ApiError(429, "rate_limited", "rate limit of " + decision.limit() + " requests per minute exceeded",
                    null, Map.of("Retry-After", Long.toString(decision.retryAfterSeconds())));
        }
        if (contentLength > security.maxBodyBytes()) {
            throw new ApiError(413, "payload_too_large", "request body exceeds " + security.maxBodyBytes() + " bytes");
        }
        return principal;
    }

    /** The role a matched route declared; without one, GET needs readonly and anything else admin. */
    private static Role requiredRole(final Context ctx) {
        Role required = null;
        for (final RouteRole role : ctx.routeRoles()) {
            if (role instanceof Role r && (required == null || r.includes(required))) {
                required = r;
            }
        }
        if (required != null) {
            return required;
        }
        return ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD ? Role.READONLY : Role.ADMIN;
    }

    private static ApiError fromJavalin(final HttpResponseException e) {
        final int status = e.getStatus();
        final String code = switch (status) {
            case 413 -> "payload_too_large";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 400 -> "bad_request";
            default -> status >= 500 ? "internal_error" : "request_error";
        };
        return new ApiError(status, code, status >= 500 ? "the request could not be processed" : "request refused");
    }

    private static void answer(final Context ctx, final ApiError error) {
        error.headers().forEach(ctx::header);
        ctx.status(error.status()).json(error.body());
    }

    /** The caller of a request that passed the guard. */
    public static Principal principal(final Context ctx) {
        return ctx.attribute(PRINCIPAL_ATTRIBUTE);
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
