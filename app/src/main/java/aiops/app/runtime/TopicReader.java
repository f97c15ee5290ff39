package aiops.app.runtime;

import aiops.common.kafka.KafkaSettings;
import aiops.schemas.AvroSerdes;
import aiops.schemas.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Every committed record on a topic right now, read from the beginning to the end offsets seen at start. */
public final class TopicReader {

    private TopicReader() {
    }

    public static <V extends SpecificRecord> List<ConsumerRecord<String, V>> readAll(final KafkaSettings kafka,
                                                                                    final TopicSpec<V> topic) {
        final List<ConsumerRecord<String, V>> out = new ArrayList<>();
        try (Serde<V> serde = AvroSerdes.valueSerde(topic, kafka.registryConfig());
             KafkaConsumer<String, V> consumer = new KafkaConsumer<>(kafka.consumerProps(null),
                     new StringDeserializer(), serde.deserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    public static <V extends SpecificRecord> List<V> values(final KafkaSettings kafka, final TopicSpec<V> topic) {
        return readAll(kafka, topic).stream().map(ConsumerRecord::value).filter(v -> v != null).toList();
    }
}
