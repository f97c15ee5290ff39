package aiops.common.kafka;

import aiops.schemas.AvroSerdes;
import aiops.schemas.RegistryFailures;
import aiops.schemas.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Everything committed on a topic right now: read with no consumer group from the beginning to the end offsets seen at
 * the start (read_committed, so aborted transactions are not seen). Undecodable records are skipped; a registry that
 * cannot be asked fails the read rather than leave records out.
 */
public final class TopicSnapshot {

    private TopicSnapshot() {
    }

    public static <V extends SpecificRecord> void forEach(final KafkaSettings kafka, final TopicSpec<V> topic,
                                                          final Duration timeout,
                                                          final Consumer<ConsumerRecord<String, V>> action) {
        try (Serde<V> serde = AvroSerdes.valueSerde(topic, kafka.registryConfig());
             KafkaConsumer<String, V> consumer = new KafkaConsumer<>(kafka.consumerProps(null),
                     new StringDeserializer(), serde.deserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), timeout).stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            final long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic.name() + " to its end within " + timeout);
                }
                try {
                    consumer.poll(Duration.ofMillis(200)).forEach(action);
                } catch (final RecordDeserializationException e) {
                    if (RegistryFailures.isUnavailable(e)) {
                        throw new IllegalStateException("could not read " + topic.name()
                                + ": the schema registry is unavailable", e);
                    }
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        }
    }

    /** The non-null values, in partition order. */
    public static <V extends SpecificRecord> List<V> values(final KafkaSettings kafka, final TopicSpec<V> topic) {
        final List<V> out = new ArrayList<>();
        forEach(kafka, topic, Duration.ofSeconds(60), r -> {
            if (r.value() != null) {
                out.add(r.value());
            }
        });
        return out;
    }
}
