package aiops.ingest.normalize;

import aiops.avro.MetricWindow;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * Metric windows: {@code {"service","metric","start","end","count","min","max","mean","p95"?,"unit"?}} or an
 * array of them. Inconsistent aggregates (min above max, end not after start) are refused.
 */
public final class MetricWindowNormalizer {

    public Normalized normalize(final JsonNode body, final SignalContext context) {
        return Normalized.ofMetrics(Json.eachObject(body, (m, path) -> window(m, path, context)));
    }

    private static MetricWindow window(final JsonNode m, final String path, final SignalContext context) {
        final Instant start = Json.instant(m, "start", path);
        final Instant end = Json.notInFuture(Json.instant(m, "end", path), context.receivedAt(), path + "end");
        if (!end.isAfter(start)) {
            throw new InvalidSignalException(path + "end", "must be after start");
        }
        final double count = Json.number(m, "count", path);
        if (count < 0 || count != Math.rint(count)) {
            throw new InvalidSignalException(path + "count", "must be a whole number >= 0");
        }
        final double min = Json.number(m, "min", path);
        final double max = Json.number(m, "max", path);
        final double mean = Json.number(m, "mean", path);
        if (min > max) {
            throw new InvalidSignalException(path + "min", "must not exceed max");
        }
        if (mean < min || mean > max) {
            throw new InvalidSignalException(path + "mean", "must lie between min and max");
        }
        final JsonNode p95 = m.get("p95");
        if (p95 != null && !p95.isNull() && !p95.isNumber()) {
            throw new InvalidSignalException(path + "p95", "must be a number");
        }
        return MetricWindow.newBuilder()
                .setService(Json.text(m, "service", path))
                .setMetric(Json.text(m, "metric", path))
                .setWindowStart(start)
                .setWindowEnd(end)
                .setCount((long) count)
                .setMin(min)
                .setMax(max)
                .setMean(mean)
                .setP95(p95 == null || p95.isNull() ? null : p95.asDouble())
                .setUnit(Json.optText(m, "unit"))
                .setLabels(Json.stringMap(m, "labels", path))
                .setReceivedAt(context.receivedAt())
                .setReplayRunId(context.replayRunId())
                .setTraceParent(context.traceParent())
                .build();
    }
}
