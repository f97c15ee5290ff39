package aiops.ingest.streams;

import aiops.avro.LogLevel;
import aiops.avro.LogRecord;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Log records -> templates per service ({@link LogTemplates}) -> two kinds of log anomaly: a {@code new_error_template}
 * the first time an error or fatal line of a new shape appears, and a {@code log_burst} when a template's count in a
 * one-minute event-time window is at least ten lines and five times its usual rate (an EWMA of earlier windows, after
 * three of them). Records are keyed by service on {@code aiops.logs.raw}, so each service's templates live in one task.
 */
final class LogAnomalyDetector implements Processor<String, LogRecord, String, BufferedAlert> {

    static final String STORE = "aiops-log-templates";
    static final long WINDOW_MS = 60_000;
    static final int BURST_MIN_LINES = 10;
    static final double BURST_RATIO = 5.0;
    static final int WARMUP_WINDOWS = 3;
    static final double ALPHA = 0.2;

    private ProcessorContext<String, BufferedAlert> context;
    private KeyValueStore<String, LogTemplates> store;

    @Override
    public void init(final ProcessorContext<String, BufferedAlert> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
    }

    @Override
    public void process(final Record<String, LogRecord> record) {
        final LogRecord log = record.value();
        if (log == null || log.getService() == null || log.getMessage() == null) {
            return;
        }
        final String service = log.getService();
        final String run = log.getReplayRunId();
        final String storeKey = RunScope.key(run, service);
        final LogTemplates stored = store.get(storeKey);
        final LogTemplates templates = stored == null ? new LogTemplates() : stored;
        final long at = log.getTimestamp().toEpochMilli();
        final LogTemplates.Match match = templates.add(service, log.getMessage(), log.getLevel().toString());
        final LogTemplates.Template t = match.template();
        final boolean error = log.getLevel() == LogLevel.ERROR || log.getLevel() == LogLevel.FATAL;
        if (match.created() && error) {
            forward(run, service, "log:" + service + "/" + t.id, "new_error_template", at, 1.0,
                    String.format(Locale.ROOT, "new %s log template: %s", log.getLevel().toString().toLowerCase(Locale.ROOT),
                            t.text()), Map.of("template_id", t.id, "count", "1", "level", log.getLevel().toString()));
        }
        final long window = at - Math.floorMod(at, WINDOW_MS);
        if (t.windowStart == 0 || match.created()) {
            t.windowStart = window;
        }
        if (window > t.windowStart) {
            closeWindow(run, service, t);
            t.windowStart = window;
            t.windowCount = 0;
        }
        t.windowCount++;
        store.put(storeKey, templates);
    }

    /** Judges the finished window against the template's usual rate, then folds it into that rate. */
    private void closeWindow(final String run, final String service, final LogTemplates.Template t) {
        final double usual = Math.max(1.0, t.baseline);
        if (t.windows >= WARMUP_WINDOWS && t.windowCount >= BURST_MIN_LINES && t.windowCount >= BURST_RATIO * usual) {
            forward(run, service, "log:" + service + "/" + t.id + "@" + t.windowStart, "log_burst", t.windowStart + WINDOW_MS,
                    t.windowCount / usual, String.format(Locale.ROOT, "log burst: %d lines of '%s' in one minute, usually %.1f",
                            t.windowCount, t.text(), t.baseline),
                    Map.of("template_id", t.id, "count", Long.toString(t.windowCount), "level", String.valueOf(t.level)));
        }
        t.baseline = t.windows == 0 ? t.windowCount : (1 - ALPHA) * t.baseline + ALPHA * t.windowCount;
        t.windows++;
    }

    private void forward(final String run, final String service, final String id, final String kind, final long at,
                         final double score, final String summary, final Map<String, String> attributes) {
        context.forward(new Record<>(service, BufferedAlert.anomaly(run, id, service, kind, at, score, summary, attributes),
                context.currentSystemTimeMs()));
    }
}
