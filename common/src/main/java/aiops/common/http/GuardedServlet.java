package aiops.common.http;

import aiops.common.auth.Principal;
import aiops.common.auth.Role;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * A servlet mounted beside the Javalin routes (the MCP transport), behind the same door: credential, role, rate limit,
 * body limit, security headers and trace context, with errors answered as {@code {"error":{...}}}. The authenticated
 * {@link Principal} is left in the request attribute {@link ApiServer#PRINCIPAL_ATTRIBUTE} for the servlet.
 */
final class GuardedServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = ApiServer.jsonMapper();

    private final transient HttpServlet inner;
    private final transient HttpSecurity security;
    private final Role role;
    private final String route;
    private final transient HttpMetrics metrics;

    GuardedServlet(final HttpServlet inner, final HttpSecurity security, final Role role, final String route,
                   final HttpMetrics metrics) {
        this.inner = inner;
        this.security = security;
        this.role = role;
        this.route = route;
        this.metrics = metrics;
    }

    @Override
    public void init(final ServletConfig config) throws ServletException {
        super.init(config);
        inner.init(config);
    }

    @Override
    protected void service(final HttpServletRequest req, final HttpServletResponse resp)
            throws ServletException, IOException {
        final long start = System.nanoTime();
        try {
            guarded(req, resp);
        } finally {
            if (!req.isAsyncStarted() || !countOnComplete(req, resp, start)) {
                record(req, resp, start);
            }
        }
    }

    /** A streamed answer ends after service returns: counted when it completes; false when it already has. */
    private boolean countOnComplete(final HttpServletRequest req, final HttpServletResponse resp, final long start) {
        try {
            req.getAsyncContext().addListener(new AsyncListener() {
                @Override
                public void onComplete(final AsyncEvent event) {
                    record(req, resp, start);
                }

                @Override
                public void onTimeout(final AsyncEvent event) {
                }

                @Override
                public void onError(final AsyncEvent event) {
                }

                @Override
                public void onStartAsync(final AsyncEvent event) {
                }
            });
            return true;
        } catch (IllegalStateException completedMeanwhile) {
            return false;
        }
    }

    private void record(final HttpServletRequest req, final HttpServletResponse resp, final long start) {
        metrics.record(req.getMethod(), route, resp.getStatus(), System.nanoTime() - start);
    }

    private void guarded(final HttpServletRequest req, final HttpServletResponse resp)
            throws ServletException, IOException {
        final TraceContext trace = ApiServer.enter(req.getHeader(ApiServer.TRACEPARENT), resp::setHeader);
        req.setAttribute(ApiServer.TRACE_ATTRIBUTE, trace);
        try {
            final Principal principal = ApiServer.admit(security, req.getHeader("Authorization"),
                    req.getHeader("X-API-Key"), role, req.getContentLengthLong(), resp::setHeader);
            req.setAttribute(ApiServer.PRINCIPAL_ATTRIBUTE, principal);
        } catch (final ApiError e) {
            e.headers().forEach(resp::setHeader);
            resp.setStatus(e.status());
            resp.setContentType("application/json");
            resp.getOutputStream().write(JSON.writeValueAsBytes(e.body()));
            return;
        }
        inner.service(req, resp);
    }

    @Override
    public void destroy() {
        inner.destroy();
        super.destroy();
    }
}
