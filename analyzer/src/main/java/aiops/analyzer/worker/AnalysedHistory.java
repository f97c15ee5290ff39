package aiops.analyzer.worker;

import aiops.analyzer.AnalysisEngine;
import aiops.avro.Analysis;
import aiops.common.kafka.KafkaSettings;
import aiops.schemas.AvroSerdes;
import aiops.schemas.Topics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What was already analysed, read back from {@code aiops.analyses} (committed records only) at start: the last
 * analysed version and signature of every incident, and the similar-incident memory.
 */
final class AnalysedHistory {

    private static final Logger LOG = LoggerFactory.getLogger(AnalysedHistory.class);
    private static final int REMEMBERED = 2_000;

    private AnalysedHistory() {
    }

    static void restore(final KafkaSettings kafka, final Debouncer debouncer, final AnalysisEngine engine) {
        final Map<String, Analysis> latest = new LinkedHashMap<>();
        try (Serde<Analysis> serde = AvroSerdes.valueSerde(Topics.ANALYSES, kafka.registryConfig());
             KafkaConsumer<String, Analysis> consumer = new KafkaConsumer<>(kafka.consumerProps(null),
                     new StringDeserializer(), serde.deserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(Topics.ANALYSES.name(), Duration.ofSeconds(30))
                    .stream().map(p -> new TopicPartition(Topics.ANALYSES.name(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                try {
                    for (final ConsumerRecord<String, Analysis> r : consumer.poll(Duration.ofMillis(200))) {
                        if (r.value() != null) {
                            latest.remove(r.value().getIncidentId());
                            latest.put(r.value().getIncidentId(), r.value());
                        }
                    }
                } catch (final RecordDeserializationException e) {
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        }
        latest.values().forEach(a -> debouncer.restore(a.getIncidentId(), a.getIncidentVersion(),
                a.getIncidentSignature()));
        latest.values().stream().skip(Math.max(0, latest.size() - REMEMBERED)).forEach(engine::remember);
        LOG.info("restored {} analysed incidents", latest.size());
    }
}
