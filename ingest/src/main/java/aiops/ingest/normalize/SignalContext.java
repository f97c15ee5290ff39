package aiops.ingest.normalize;

import java.time.Instant;

/**
 * Facts about how a signal arrived, stamped onto every record normalised from it.
 *
 * @param replayRunId replay run, or {@code null} for live traffic
 * @param traceParent W3C traceparent of the request, or {@code null}
 */
public record SignalContext(Instant receivedAt, String replayRunId, String traceParent) {

    public static SignalContext live(final Instant receivedAt) {
        return new SignalContext(receivedAt, null, null);
    }
}
