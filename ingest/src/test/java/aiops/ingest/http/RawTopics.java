package aiops.ingest.http;

import aiops.common.kafka.KafkaSettings;
import aiops.schemas.AvroSerdes;
import aiops.schemas.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a whole raw topic as committed now. */
final class RawTopics {

    private RawTopics() {
    }

    static <V extends SpecificRecord, T> List<T> readAll(final KafkaSettings kafka, final TopicSpec<V> topic,
                                                         final Function<V, T> extract) {
        try (Serde<V> serde = AvroSerdes.valueSerde(topic, kafka.registryConfig());
             KafkaConsumer<String, V> consumer = new KafkaConsumer<>(kafka.consumerProps(null), new StringDeserializer(),
                     serde.deserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            final List<T> out = new ArrayList<>();
            final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic.name() + " to its end");
                }
                for (final ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(extract.apply(r.value()));
                }
            }
            return out;
        }
    }
}
