package aiops.common.http;

import aiops.common.auth.Principal;
import aiops.common.auth.Role;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    GuardedServlet(final HttpServlet inner, final HttpSecurity security, final Role role) {
        this.inner = inner;
        this.security = security;
        this.role = role;
    }

    @Override
    public void init(final ServletConfig config) throws ServletException {
        super.init(config);
        inner.init(config);
    }

    @Override
    protected void service(final HttpServletRequest req, final HttpServletResponse resp)
            throws ServletException, IOException {
        final TraceContext trace = TraceContext.continueOrStart(req.getHeader(ApiServer.TRACEPARENT));
        req.setAttribute(ApiServer.TRACE_ATTRIBUTE, trace);
        resp.setHeader(ApiServer.TRACEPARENT, trace.traceparent());
        ApiServer.SECURITY_HEADERS.forEach(resp::setHeader);
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
