package aiops.ingest.streams;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * {@link InputBacklog} from the stream threads' consumers: their per-partition {@code records-lag} (records between
 * the last fetch position and the end of the partition) on the raw alert topic and the correlator's repartition
 * topic. One record of lag is allowed on each: a transaction marker takes an offset.
 */
final class FetchLagBacklog implements InputBacklog {

    private static final String GROUP = "consumer-fetch-manager-metrics";

    private final AtomicReference<KafkaStreams> streams = new AtomicReference<>();
    private final Set<String> topics;

    FetchLagBacklog(final String applicationId) {
        this.topics = Set.copyOf(IncidentTopology.alertInputs(applicationId));
    }

    void attach(final KafkaStreams instance) {
        streams.set(instance);
    }

    @Override
    public boolean pending() {
        final KafkaStreams instance = streams.get();
        return instance != null && anyLag(instance.metrics());
    }

    boolean anyLag(final Map<MetricName, ? extends Metric> metrics) {
        for (final Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
            final MetricName name = e.getKey();
            if (!"records-lag".equals(name.name()) || !GROUP.equals(name.group()) || !mainConsumer(name)
                    || !topics.contains(name.tags().getOrDefault("topic", ""))) {
                continue;
            }
            final Object value = e.getValue().metricValue();
            if (value instanceof Double lag && !lag.isNaN() && lag > 1) {
                return true;
            }
        }
        return false;
    }

    private static boolean mainConsumer(final MetricName name) {
        final String client = name.tags().getOrDefault("client-id", "");
        return client.endsWith("-consumer") && !client.endsWith("-restore-consumer")
                && !client.endsWith("-global-consumer");
    }
}
