package aiops.common.http;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * W3C trace context ({@code traceparent: 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>}). An incoming valid
 * header is continued with a new span; anything else starts a new trace, so every request has a trace id to log.
 */
public record TraceContext(String traceId, String spanId, String flags) {

    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    private static final String INVALID_TRACE = "0".repeat(32);
    private static final String INVALID_SPAN = "0".repeat(16);

    /** Continues {@code header} when it is a valid version-00 traceparent, else starts a new sampled trace. */
    public static TraceContext continueOrStart(final String header) {
        if (header != null) {
            final var m = TRACEPARENT.matcher(header.trim());
            if (m.matches() && !INVALID_TRACE.equals(m.group(1)) && !INVALID_SPAN.equals(m.group(2))) {
                return new TraceContext(m.group(1), randomHex(8), m.group(3));
            }
        }
        return new TraceContext(randomHex(16), randomHex(8), "01");
    }

    public String traceparent() {
        return "00-" + traceId + "-" + spanId + "-" + flags;
    }

    // Trace and span ids must be unique, not secret (W3C trace context); a shared SecureRandom here was a lock and a
    // read of the system's entropy pool on every request.
    private static String randomHex(final int bytes) {
        final byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
