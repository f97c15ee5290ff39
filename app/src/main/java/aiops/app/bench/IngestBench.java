package aiops.app.bench;

import aiops.avro.AlertEvent;
import aiops.common.kafka.KafkaSettings;
import aiops.ingest.normalize.EventIds;
import aiops.ingest.normalize.SignalContext;
import aiops.ingest.normalize.SignalKind;
import aiops.schemas.AvroSerdes;
import aiops.schemas.Topics;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
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

    /**
     * The same record the HTTP path writes, sent straight through one producer with the same settings by as many
     * threads as there are cores (serialisation runs in the sending thread, as it does in the receivers).
     */
    static LoadResult rawProducer(final KafkaSettings kafka, final Duration duration) throws Exception {
        final AlertEvent template = SignalKind.GENERIC.normalize(new ObjectMapper().readTree(GENERIC_ALERT),
                SignalContext.live(Instant.now())).alerts().get(0);
        // Built before the clock starts: copying a record through its builder costs more than sending it.
        final AlertEvent[] events = new AlertEvent[4096];
        for (int i = 0; i < events.length; i++) {
            events[i] = AlertEvent.newBuilder(template).setEventId(EventIds.next()).build();
        }
        final int threads = Runtime.getRuntime().availableProcessors();
        final Semaphore inFlight = new Semaphore(20_000);
        final AtomicLong failures = new AtomicLong();
        final AtomicLong sent = new AtomicLong();
        final long start = System.nanoTime();
        final long end = start + duration.toNanos();
        try (Serde<AlertEvent> serde = AvroSerdes.valueSerde(Topics.ALERTS_RAW, kafka.registryConfig());
             KafkaProducer<String, AlertEvent> producer = new KafkaProducer<>(kafka.producerProps("bench-raw"),
                     new StringSerializer(), serde.serializer())) {
            final ExecutorService pool = Executors.newFixedThreadPool(threads);
            final List<Future<?>> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final int first = t;
                senders.add(pool.submit(() -> {
                    for (int i = first; System.nanoTime() < end; i += threads) {
                        final AlertEvent event = events[i & (events.length - 1)];
                        inFlight.acquire();
                        producer.send(new ProducerRecord<>(Topics.ALERTS_RAW.name(), event.getFingerprint(), event),
                                (m, e) -> {
                                    if (e != null) {
                                        failures.incrementAndGet();
                                    }
                                    inFlight.release();
                                });
                        sent.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (final Future<?> sender : senders) {
                sender.get();
            }
            pool.shutdown();
            producer.flush();
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        return new LoadResult(sent.get(), sent.get() - failures.get(), seconds, new long[0], failures.get());
    }

    /** {@code concurrency} connections posting {@code body} for {@code duration}, each as fast as its answers come. */
    static LoadResult saturate(final String url, final String key, final String body, final int recordsPerRequest,
                               final int concurrency, final Duration duration) throws Exception {
        final URI target = URI.create(url);
        return SelectorLoad.run(target, SelectorLoad.post(target, "Bearer " + key, body), recordsPerRequest, concurrency,
                duration);
    }

    /**
     * {@code concurrency} connections posting {@code body} for {@code duration}, each on a fixed schedule that together
     * makes {@code ratePerSecond}; a request's latency counts from when it was due, so a stalled server is not hidden
     * by late sends.
     */
    static LoadResult paced(final String url, final String key, final String body, final int recordsPerRequest,
                            final int concurrency, final Duration duration, final double ratePerSecond)
            throws Exception {
        final URI target = URI.create(url);
        final ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        final long start = System.nanoTime();
        final long end = start + duration.toNanos();
        final long interval = (long) (concurrency * 1e9 / ratePerSecond);
        final List<Future<long[]>> workers = new ArrayList<>();
        final AtomicLong failures = new AtomicLong();
        for (int i = 0; i < concurrency; i++) {
            final long offset = interval * i / concurrency;
            workers.add(pool.submit(() -> {
                long[] latencies = new long[4096];
                int n = 0;
                long due = start + offset;
                try (KeepAliveConnection connection = new KeepAliveConnection(target, "Bearer " + key, body)) {
                    while (true) {
                        due += interval;
                        LockSupport.parkNanos(due - System.nanoTime());
                        if (due >= end) {
                            break;
                        }
                        final int status = post(connection);
                        final long took = System.nanoTime() - due;
                        if (status != 202) {
                            failures.incrementAndGet();
                            continue;
                        }
                        if (n == latencies.length) {
                            latencies = Arrays.copyOf(latencies, n * 2);
                        }
                        latencies[n++] = took;
                    }
                }
                return Arrays.copyOf(latencies, n);
            }));
        }
        final List<long[]> all = new ArrayList<>();
        for (final Future<long[]> w : workers) {
            all.add(w.get());
        }
        pool.shutdown();
        final double seconds = (System.nanoTime() - start) / 1e9;
        final long[] merged = all.stream().flatMapToLong(Arrays::stream).toArray();
        return new LoadResult(merged.length, (long) merged.length * recordsPerRequest, seconds, merged, failures.get());
    }

    private static int post(final KeepAliveConnection connection) {
        try {
            return connection.post();
        } catch (java.io.IOException e) {
            return -1;
        }
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
