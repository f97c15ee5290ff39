package aiops.ingest.replay;

import aiops.ingest.normalize.Normalized;
import java.time.Duration;
import java.util.function.Function;

/**
 * One thing to send in a replay: records for the raw topics, built for the run's context, due {@code offset} after
 * the start of its source's timeline.
 *
 * @param origin where it came from, for error messages ({@code signals.ndjson:17}, {@code aiops.alerts.raw-2@140})
 */
public record ReplayStep(String runId, Duration offset, String origin, Function<String, Normalized> records) {
}
