package aiops.common.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answered to an HTTP caller as {@code {"error":{"code","message","field"?}}}: a stable code, a message
 * for people, and the offending field when there is one. Never carries a stack trace or class name.
 */
public final class ApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String field;
    private final Map<String, String> headers;

    public ApiError(final int status, final String code, final String message, final String field,
                    final Map<String, String> headers) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
        this.headers = Map.copyOf(headers);
    }

    public ApiError(final int status, final String code, final String message) {
        this(status, code, message, null, Map.of());
    }

    public static ApiError badRequest(final String code, final String message, final String field) {
        return new ApiError(400, code, message, field, Map.of());
    }

    public static ApiError unauthorized(final String message) {
        return new ApiError(401, "unauthorized", message, null, Map.of("WWW-Authenticate", "Bearer realm=\"aiops\""));
    }

    public static ApiError forbidden(final String message) {
        return new ApiError(403, "forbidden", message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** The JSON body. */
    public Map<String, Object> body() {
        final Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", getMessage());
        if (field != null) {
            error.put("field", field);
        }
        return Map.of("error", error);
    }
}
