package aiops.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aiops.avro.AlertEvent;
import aiops.common.kafka.KafkaSettings;
import aiops.common.kafka.TopicAdmin;
import aiops.embedded.EmbeddedKafka;
import aiops.embedded.EmbeddedStack;
import aiops.embedded.junit.EmbeddedStackExtension;
import aiops.schemas.Topics;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stops the broker under a stream of webhooks from concurrent senders: the edge answers 503 with Retry-After and never
 * 2xx while it is down, 202 again once it is back, and every record that was answered 202, including those in flight
 * when the broker died, is on the topic.
 */
@Tag("integration")
@Timeout(240)
@ExtendWith(EmbeddedStackExtension.class)
class BrokerOutageIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldNeverAcknowledgeWhatKafkaDidNotAndLoseNothingItDid(final EmbeddedStack shared, @TempDir final Path dir)
            throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0)) {
            final KafkaSettings settings = new KafkaSettings(kafka.bootstrapServers(), shared.registryUrl(), Map.of());
            try (Admin admin = Admin.create(settings.adminProps())) {
                TopicAdmin.ensureTopics(admin, Topics.ALL, 1);
            }
            try (EdgeFixture edge = new EdgeFixture(settings, shared.postgres().jdbcUrl(), Map.of())) {
                final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
                final List<Integer> duringOutage = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    acknowledged.addAll(post(edge, i, 202));
                }

                // Eight senders keep posting while the broker dies under them: requests are in flight at the kill.
                final List<Integer> streamed = new CopyOnWriteArrayList<>();
                final AtomicBoolean stop = new AtomicBoolean();
                final AtomicInteger next = new AtomicInteger(1_000);
                final ExecutorService senders = Executors.newFixedThreadPool(8);
                for (int t = 0; t < 8; t++) {
                    senders.submit(() -> {
                        while (!stop.get()) {
                            final HttpResponse<String> r = send(edge, next.incrementAndGet());
                            streamed.add(r.statusCode());
                            if (r.statusCode() == 202) {
                                acknowledged.addAll(ids(r));
                            }
                        }
                        return null;
                    });
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> streamed.size() >= 80);
                kafka.close();
                await().atMost(Duration.ofSeconds(60)).until(() -> streamed.contains(503));
                stop.set(true);
                senders.shutdown();
                assertThat(senders.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
                assertThat(streamed).as("only acknowledged or refused, never an error").containsOnly(202, 503);

                for (int i = 20; i < 23; i++) {
                    final long start = System.nanoTime();
                    final HttpResponse<String> r = send(edge, i);
                    final Duration took = Duration.ofNanos(System.nanoTime() - start);
                    duringOutage.add(r.statusCode());
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                    assertThat(r.headers().firstValue("Retry-After")).isPresent();
                    assertThat(took).as("answered within a bounded time, not hung").isLessThan(Duration.ofSeconds(15));
                }

                kafka.restart();
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .until(() -> send(edge, 99).statusCode() == 202);
                for (int i = 100; i < 120; i++) {
                    acknowledged.addAll(post(edge, i, 202));
                }

                final List<String> onTopic = RawTopics.readAll(settings, Topics.ALERTS_RAW, AlertEvent::getEventId);
                assertThat(onTopic).containsAll(acknowledged);
                assertThat(duringOutage).containsOnly(503);
            }
        }
    }

    private static List<String> post(final EdgeFixture edge, final int n, final int expected) throws Exception {
        final HttpResponse<String> r = send(edge, n);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(expected);
        return ids(r);
    }

    private static List<String> ids(final HttpResponse<String> r) throws Exception {
        final List<String> ids = new ArrayList<>();
        JSON.readTree(r.body()).path("ids").forEach(id -> ids.add(id.asText()));
        assertThat(ids).hasSize(1);
        return ids;
    }

    private static HttpResponse<String> send(final EdgeFixture edge, final int n) {
        final String body = "{\"service\":\"checkout\",\"name\":\"Outage" + n + "\",\"severity\":\"critical\","
                + "\"status\":\"firing\",\"startsAt\":\"2026-03-01T10:00:00Z\"}";
        return edge.client.post("/api/v1/alerts", body, "X-API-Key", edge.user);
    }
}
