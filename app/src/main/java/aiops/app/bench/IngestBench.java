package aiops.app.bench;

import aiops.avro.AlertEvent;
import aiops.common.kafka.KafkaSettings;
import aiops.ingest.normalize.SignalContext;
import aiops.ingest.normalize.SignalKind;
import aiops.schemas.AvroSerdes;
import aiops.schemas.Topics;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;

/** The two measurements of {@code aiops bench ingest}: the raw producer ceiling and the HTTP path. */
final class IngestBench {

    static final String GENERIC_ALERT = "{\"source\":\"bench\",\"service\":\"checkout\",\"name\":\"HighErrorRate\","
            + "\"severity\":\"critical\",\"status\":\"firing\",\"startsAt\":\"2026-03-01T10:00:00Z\","
            + "\"labels\":{\"route\":\"/api/checkout\",\"instance\":\"checkout-7d9f:8080\"},"
            + "\"annotations\":{\"summary\":\"checkout 5xx ratio above 5%\"}}";

    private IngestBench() {
    }

    /** The same record the HTTP path writes, sent straight through a producer with the same settings. */
    static LoadResult rawProducer(final KafkaSettings kafka, final Duration duration) throws Exception {
        final AlertEvent template = SignalKind.GENERIC.normalize(new ObjectMapper().readTree(GENERIC_ALERT),
                SignalContext.live(Instant.now())).alerts().get(0);
        final Semaphore inFlight = new Semaphore(20_000);
        final AtomicLong failures = new AtomicLong();
        long sent = 0;
        final long start = System.nanoTime();
        final long end = start + duration.toNanos();
        try (Serde<AlertEvent> serde = AvroSerdes.valueSerde(Topics.ALERTS_RAW, kafka.registryConfig());
             KafkaProducer<String, AlertEvent> producer = new KafkaProducer<>(kafka.producerProps("bench-raw"),
                     new StringSerializer(), serde.serializer())) {
            while (System.nanoTime() < end) {
                final AlertEvent event = AlertEvent.newBuilder(template).setEventId(UUID.randomUUID().toString()).build();
                inFlight.acquire();
                producer.send(new ProducerRecord<>(Topics.ALERTS_RAW.name(), event.getFingerprint(), event), (m, e) -> {
                    if (e != null) {
                        failures.incrementAndGet();
                    }
                    inFlight.release();
                });
                sent++;
            }
            producer.flush();
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        return new LoadResult(sent, sent - failures.get(), seconds, new long[0], failures.get());
    }

    /** {@code concurrency} clients posting {@code body} in a closed loop for {@code duration}. */
    static LoadResult http(final String url, final String key, final String body, final int recordsPerRequest,
                           final int concurrency, final Duration duration) throws Exception {
        final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        final HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        final ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        final long start = System.nanoTime();
        final long end = start + duration.toNanos();
        final List<Future<long[]>> workers = new ArrayList<>();
        final AtomicLong failures = new AtomicLong();
        for (int i = 0; i < concurrency; i++) {
            workers.add(pool.submit(() -> {
                long[] latencies = new long[4096];
                int n = 0;
                while (System.nanoTime() < end) {
                    final long t0 = System.nanoTime();
                    final HttpResponse<Void> r = client.send(request, HttpResponse.BodyHandlers.discarding());
                    final long took = System.nanoTime() - t0;
                    if (r.statusCode() != 202) {
                        failures.incrementAndGet();
                        continue;
                    }
                    if (n == latencies.length) {
                        latencies = java.util.Arrays.copyOf(latencies, n * 2);
                    }
                    latencies[n++] = took;
                }
                return java.util.Arrays.copyOf(latencies, n);
            }));
        }
        final List<long[]> all = new ArrayList<>();
        for (final Future<long[]> w : workers) {
            all.add(w.get());
        }
        pool.shutdown();
        final double seconds = (System.nanoTime() - start) / 1e9;
        final long[] merged = all.stream().flatMapToLong(java.util.Arrays::stream).toArray();
        return new LoadResult(merged.length, (long) merged.length * recordsPerRequest, seconds, merged, failures.get());
    }

    /** An Alertmanager group of {@code size} firing alerts. */
    static String alertmanagerGroup(final int size) throws Exception {
        final List<Map<String, Object>> alerts = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            alerts.add(Map.of("status", "firing",
                    "labels", Map.of("alertname", "HighLatencyP95", "service", "payments", "severity", "warning",
                            "instance", "payments-" + i + ":8080"),
                    "annotations", Map.of("summary", "payments p95 latency above 1s"),
                    "startsAt", "2026-03-01T10:00:00Z", "endsAt", "0001-01-01T00:00:00Z",
                    "generatorURL", "http://prometheus:9090/graph", "fingerprint", String.format("%016x", i)));
        }
        return new ObjectMapper().writeValueAsString(Map.of("version", "4", "status", "firing", "receiver", "aiops",
                "groupKey", "{}:{service=\"payments\"}", "groupLabels", Map.of("service", "payments"),
                "commonLabels", Map.of("service", "payments"), "commonAnnotations", Map.of(),
                "externalURL", "http://alertmanager:9093", "truncatedAlerts", 0, "alerts", alerts));
    }
}
