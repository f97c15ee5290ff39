package aiops.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aiops.avro.AlertEvent;
import aiops.common.kafka.KafkaSettings;
import aiops.embedded.EmbeddedRegistry;
import aiops.embedded.EmbeddedStack;
import aiops.embedded.RegistryDistribution;
import aiops.embedded.junit.EmbeddedStackExtension;
import aiops.schemas.AvroSerdes;
import aiops.schemas.Topics;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.apicurio.registry.resolver.config.SchemaResolverConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stops the schema registry while webhooks keep coming and a consumer keeps reading: once a process has resolved its
 * schemas it does not need the registry, so the edge still answers 202 and the consumer still decodes what it reads.
 */
@Tag("integration")
@Timeout(300)
@ExtendWith(EmbeddedStackExtension.class)
class RegistryOutageIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration OUTAGE = Duration.ofSeconds(5);

    @Test
    void shouldKeepAcceptingAndDecodingWhenTheRegistryGoesAwayAfterStart(final EmbeddedStack shared,
                                                                        @TempDir final Path dir) throws Exception {
        final EmbeddedRegistry registry = EmbeddedRegistry.start(dir.resolve("registry"),
                RegistryDistribution.defaultArchive(), null);
        final KafkaSettings settings = new KafkaSettings(shared.kafka().bootstrapServers(), registry.apiUrl(),
                Map.of(SchemaResolverConfig.CHECK_PERIOD_MS, "1000"));
        final String topic = Topics.ALERTS_RAW.name();
        try (EdgeFixture edge = new EdgeFixture(settings, shared.postgres().jdbcUrl(), Map.of());
             Serde<AlertEvent> serde = AvroSerdes.valueSerde(Topics.ALERTS_RAW, settings.registryConfig());
             KafkaConsumer<String, AlertEvent> consumer = new KafkaConsumer<>(settings.consumerProps(null),
                     new StringDeserializer(), serde.deserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);

            final List<String> before = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                before.add(post(edge, "before-" + i));
            }
            assertThat(readUntil(consumer, before)).containsAll(before);

            registry.close();
            assertThat(registry.isRunning()).isFalse();
            // The clients may re-check cached lookups every second, so any re-check falls inside the outage.
            final List<String> during = new ArrayList<>();
            final long end = System.nanoTime() + OUTAGE.toNanos();
            for (int n = 0; System.nanoTime() < end; n++) {
                during.add(post(edge, "during-" + n));
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            }
            assertThat(during).hasSizeGreaterThan(10);

            assertThat(readUntil(consumer, during)).as("decoded with the schemas it already knew").containsAll(during);
        }
    }

    private static String post(final EdgeFixture edge, final String name) throws Exception {
        final String body = "{\"service\":\"checkout\",\"name\":\"" + name + "\",\"severity\":\"critical\","
                + "\"status\":\"firing\",\"startsAt\":\"2026-03-01T10:00:00Z\"}";
        final long start = System.nanoTime();
        final HttpResponse<String> r = edge.client.post("/api/v1/alerts", body, "X-API-Key", edge.user);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        return JSON.readTree(r.body()).path("ids").get(0).asText();
    }

    /** Event ids read until all of {@code expected} arrived (or the bound passed). */
    private static List<String> readUntil(final KafkaConsumer<String, AlertEvent> consumer, final List<String> expected) {
        final List<String> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (final ConsumerRecord<String, AlertEvent> r : consumer.poll(Duration.ofMillis(200))) {
                seen.add(r.value().getEventId());
            }
            return seen.containsAll(expected);
        });
        return seen;
    }
}
