package aiops.schemas;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.TopicConfig;

/**
 * One topic of the pipeline: its name, what its key and value are, and how the broker keeps it.
 *
 * @param valueType the Avro class of the value, or {@code null} for topics carrying foreign bytes (the DLQ)
 * @param retention how long records are kept; {@code null} means forever (compacted topics)
 */
public record TopicSpec<V extends SpecificRecord>(
        String name,
        String key,
        Class<V> valueType,
        int partitions,
        CleanupPolicy cleanupPolicy,
        Duration retention,
        String description) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cleanupPolicy, "cleanupPolicy");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1 for " + name);
        }
    }

    /** The value schema, or {@code null} for topics without an Avro value. */
    public Schema valueSchema() {
        if (valueType == null) {
            return null;
        }
        try {
            return (Schema) valueType.getField("SCHEMA$").get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("generated class without SCHEMA$: " + valueType, e);
        }
    }

    /** Topic-level broker configuration for creating this topic. */
    public Map<String, String> brokerConfig() {
        final String retentionMs = retention == null ? "-1" : Long.toString(retention.toMillis());
        if (cleanupPolicy == CleanupPolicy.COMPACT) {
            return Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy.brokerValue(),
                    TopicConfig.RETENTION_MS_CONFIG, retentionMs,
                    TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "0",
                    TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "1");
        }
        return Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy.brokerValue(),
                TopicConfig.RETENTION_MS_CONFIG, retentionMs,
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "1");
    }

    /** Kafka's two cleanup policies. */
    public enum CleanupPolicy {
        /** Records expire after the retention time. */
        DELETE(TopicConfig.CLEANUP_POLICY_DELETE),
        /** The latest record per key is kept; the topic is a table. */
        COMPACT(TopicConfig.CLEANUP_POLICY_COMPACT);

        private final String brokerValue;

        CleanupPolicy(final String brokerValue) {
            this.brokerValue = brokerValue;
        }

        public String brokerValue() {
            return brokerValue;
        }
    }
}
