package aiops.ingest.streams;

import aiops.avro.MetricWindow;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A robust baseline per service/metric: an exponentially weighted mean and variance of the windows' means. After a
 * warm-up, a window beyond {@code sigmas} standard deviations is an anomaly (spike or drop); it updates the baseline
 * only with its value clipped to the band, so one outage does not become the new normal.
 */
final class MetricAnomalyDetector implements Processor<String, MetricWindow, String, BufferedAlert> {

    static final String STORE = "aiops-metric-baselines";
    static final double ALPHA = 0.1;
    static final int WARMUP = 10;

    private final double sigmas;
    private ProcessorContext<String, BufferedAlert> context;
    private KeyValueStore<String, Baseline> baselines;

    MetricAnomalyDetector(final double sigmas) {
        this.sigmas = sigmas;
    }

    /** EWMA state of one series (JSON in the store). */
    public static final class Baseline {
        public double mean;
        public double variance;
        public long count;
    }

    @Override
    public void init(final ProcessorContext<String, BufferedAlert> context) {
        this.context = context;
        this.baselines = context.getStateStore(STORE);
    }

    @Override
    public void process(final Record<String, MetricWindow> record) {
        final MetricWindow w = record.value();
        if (w == null) {
            return;
        }
        final String key = w.getService() + "/" + w.getMetric();
        final String storeKey = RunScope.key(w.getReplayRunId(), key);
        final double value = w.getMean();
        Baseline b = baselines.get(storeKey);
        if (b == null) {
            b = new Baseline();
            b.mean = value;
        }
        final double sigma = Math.max(Math.sqrt(b.variance), Math.max(0.05 * Math.abs(b.mean), 1e-9));
        final double z = (value - b.mean) / sigma;
        if (b.count >= WARMUP && Math.abs(z) > sigmas) {
            final String kind = z > 0 ? "metric_spike" : "metric_drop";
            final long at = w.getWindowEnd().toEpochMilli();
            context.forward(new Record<>(key, BufferedAlert.anomaly(w.getReplayRunId(), "metric:" + key + "@" + at,
                    w.getService(), kind, at,
                    Math.abs(z), String.format(Locale.ROOT, "%s %s = %.4g against baseline %.4g (%.1f sigma)",
                            w.getService(), w.getMetric(), value, b.mean, Math.abs(z)),
                    Map.of("metric", w.getMetric(), "value", Double.toString(value), "baseline",
                            Double.toString(b.mean))), context.currentSystemTimeMs()));
        }
        final double clipped = Math.max(b.mean - sigmas * sigma, Math.min(b.mean + sigmas * sigma, value));
        final double diff = (b.count == 0 ? value : clipped) - b.mean;
        b.mean += ALPHA * diff;
        b.variance = (1 - ALPHA) * (b.variance + ALPHA * diff * diff);
        b.count++;
        baselines.put(storeKey, b);
    }
}
