package aiops.ingest.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aiops.avro.Incident;
import aiops.common.http.Metrics;
import aiops.common.kafka.KafkaSettings;
import aiops.embedded.EmbeddedStack;
import aiops.embedded.junit.EmbeddedStackExtension;
import aiops.ingest.normalize.Normalized;
import aiops.ingest.normalize.SignalContext;
import aiops.ingest.publish.SignalPublisher;
import aiops.schemas.AvroSerdes;
import aiops.schemas.Headers;
import aiops.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The topology on the real broker with the registry serdes: incidents out, poison to the DLQ, state across a restart. */
@Tag("integration")
@Timeout(240)
@ExtendWith(EmbeddedStackExtension.class)
class StreamsIT {

    @Test
    void shouldCorrelateOnTheRealBrokerSurviveARestartAndDeadLetterPoison(final EmbeddedStack stack,
                                                                          @TempDir final Path state) throws Exception {
        final KafkaSettings kafka = stack.kafkaSettings();
        final String run = UUID.randomUUID().toString().substring(0, 8);
        // Services of its own: the shared topics hold other tests' alerts, which must not join these incidents.
        final String db = "payments-db-" + run;
        final String pay = "payments-" + run;
        final String co = "checkout-" + run;
        CatalogLoader.publish(kafka, List.of(Signals.service(co, 1, pay), Signals.service(pay, 1, db),
                Signals.service(db, 1)));
        final String app = "streams-it-" + run;
        final Instant base = Instant.now().minus(Duration.ofHours(1));

        StreamsService streams = StreamsService.start(kafka, app, state, StreamsConfigKeys.defaults(),
                Metrics.newRegistry("it"));
        try (SignalPublisher publisher = new SignalPublisher(kafka, "streams-it")) {
            publish(publisher, "db-" + run, db, base);
            publish(publisher, "pay-" + run, pay, base.plusSeconds(30));
            try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(kafka.producerProps("poison"),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                raw.send(new ProducerRecord<>(Topics.ALERTS_RAW.name(), ("poison-" + run).getBytes(StandardCharsets.UTF_8),
                        "not avro".getBytes(StandardCharsets.UTF_8))).get();
            }
            final Incident first = awaitIncidentWith(kafka, "pay-" + run);
            assertThat(first.getServices()).containsExactly(db, pay);

            streams.close();
            streams = StreamsService.start(kafka, app, state, StreamsConfigKeys.defaults(), Metrics.newRegistry("it2"));
            publish(publisher, "co-" + run, co, base.plusSeconds(60));
            final Incident after = awaitIncidentWith(kafka, "co-" + run);
            assertThat(after.getIncidentId()).as("the restarted correlator remembers the open incident")
                    .isEqualTo(first.getIncidentId());
            assertThat(after.getServices()).containsExactly(db, pay, co);
        } finally {
            streams.close();
        }

        final List<ConsumerRecord<byte[], byte[]>> dead = readAll(kafka, Topics.DLQ.name());
        assertThat(dead).anySatisfy(r -> {
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("poison-" + run);
            assertThat(new String(r.headers().lastHeader(Headers.DLQ_STAGE).value(), StandardCharsets.UTF_8))
                    .isEqualTo("deserialization");
            assertThat(new String(r.headers().lastHeader(Headers.DLQ_REASON).value(), StandardCharsets.UTF_8))
                    .isNotBlank();
        });
    }

    private static void publish(final SignalPublisher publisher, final String fingerprint, final String service,
                                final Instant at) {
        publisher.publish(Normalized.ofAlerts(List.of(aiops.avro.AlertEvent.newBuilder(
                Signals.firing(fingerprint, service, 0)).setEventTime(at).setStartsAt(at).build())),
                SignalContext.live(Instant.now()));
    }

    private static Incident awaitIncidentWith(final KafkaSettings kafka, final String fingerprint) {
        final Map<String, Incident> seen = new ConcurrentHashMap<>();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            try (Serde<Incident> serde = AvroSerdes.valueSerde(Topics.INCIDENTS, kafka.registryConfig());
                 KafkaConsumer<String, Incident> c = new KafkaConsumer<>(kafka.consumerProps(null),
                         new StringDeserializer(), serde.deserializer())) {
                drain(c, Topics.INCIDENTS.name()).forEach(r -> seen.put(r.key(), r.value()));
            }
            return seen.values().stream().anyMatch(i -> i.getAlerts().stream()
                    .anyMatch(a -> a.getFingerprint().equals(fingerprint)));
        });
        return seen.values().stream().filter(i -> i.getAlerts().stream()
                .anyMatch(a -> a.getFingerprint().equals(fingerprint))).findFirst().orElseThrow();
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(final KafkaSettings kafka, final String topic) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(kafka.consumerProps(null), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            return drain(c, topic);
        }
    }

    private static <K, V> List<ConsumerRecord<K, V>> drain(final KafkaConsumer<K, V> consumer, final String topic) {
        final List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        final List<ConsumerRecord<K, V>> out = new ArrayList<>();
        final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(out::add);
        }
        return out;
    }
}
