package aiops.common.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts what a topic really holds by reading it from the start to its current end with read_committed.
 * Offsets alone would lie: transaction markers and aborted writes take offsets too.
 */
public final class TopicCounter {

    private final KafkaSettings settings;

    public TopicCounter(final KafkaSettings settings) {
        this.settings = settings;
    }

    /** Records and distinct keys of a topic, as committed now. */
    public record Count(long records, long distinctKeys) {
    }

    public Count count(final String topic, final Duration timeout) {
        final Map<String, Object> props = settings.consumerProps(null);
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            final Set<String> keys = new HashSet<>();
            long records = 0;
            final Instant deadline = Instant.now().plus(timeout);
            while (!reached(consumer, end)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new KafkaUnavailableException("timed out counting " + topic, null);
                }
                for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    records++;
                    keys.add(r.key() == null ? "" : new String(r.key(), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            return new Count(records, keys.size());
        }
    }

    private static boolean reached(final KafkaConsumer<?, ?> consumer, final Map<TopicPartition, Long> end) {
        for (final Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
