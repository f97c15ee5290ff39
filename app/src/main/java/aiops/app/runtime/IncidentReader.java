package aiops.app.runtime;

import aiops.avro.Incident;
import aiops.common.kafka.KafkaSettings;
import aiops.schemas.AvroSerdes;
import aiops.schemas.Topics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;

/** The latest version of every incident on the compacted incidents topic. */
public final class IncidentReader {

    private IncidentReader() {
    }

    public static Map<String, Incident> latest(final KafkaSettings kafka) {
        final Map<String, Incident> out = new LinkedHashMap<>();
        try (Serde<Incident> serde = AvroSerdes.valueSerde(Topics.INCIDENTS, kafka.registryConfig());
             KafkaConsumer<String, Incident> consumer = new KafkaConsumer<>(kafka.consumerProps(null),
                     new StringDeserializer(), serde.deserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(Topics.INCIDENTS.name()).stream()
                    .map(p -> new TopicPartition(Topics.INCIDENTS.name(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.value() == null) {
                        out.remove(r.key());
                    } else {
                        out.put(r.key(), r.value());
                    }
                });
            }
        }
        return out;
    }
}
