package aiops.ingest.publish;

import aiops.avro.AlertEvent;
import aiops.avro.LogRecord;
import aiops.avro.MetricWindow;
import aiops.common.kafka.KafkaSettings;
import aiops.ingest.normalize.Normalized;
import aiops.ingest.normalize.SignalContext;
import aiops.schemas.AvroSerdes;
import aiops.schemas.Headers;
import aiops.schemas.TopicSpec;
import aiops.schemas.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes normalised signals to the raw topics and returns only when Kafka has acknowledged every record
 * ({@code acks=all}, idempotent): a caller may answer its sender 2xx only after {@link #publish} returned, or the
 * future of {@link #publishAsync} completed.
 * Replay runs and trace context travel as record headers as well as in the values.
 */
public final class SignalPublisher implements SignalSink, AutoCloseable {

    /** Default bound on how long a publish may wait: a webhook sender must hear 503 quickly, not hang. */
    public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(5);

    /** How long a record may wait for others to share its batch. */
    static final int LINGER_MS = 1;

    private final KafkaProducer<String, AlertEvent> alerts;
    private final KafkaProducer<String, LogRecord> logs;
    private final KafkaProducer<String, MetricWindow> metrics;
    private final Duration ackTimeout;

    public SignalPublisher(final KafkaSettings settings, final String clientId) {
        this(settings, clientId, DEFAULT_ACK_TIMEOUT);
    }

    /** @param ackTimeout how long a publish may take before it fails; also bounds metadata waits and delivery */
    public SignalPublisher(final KafkaSettings settings, final String clientId, final Duration ackTimeout) {
        this.ackTimeout = ackTimeout;
        alerts = producer(settings, clientId + "-alerts", Topics.ALERTS_RAW, ackTimeout);
        logs = producer(settings, clientId + "-logs", Topics.LOGS_RAW, ackTimeout);
        metrics = producer(settings, clientId + "-metrics", Topics.METRIC_WINDOWS, ackTimeout);
    }

    private static <V extends org.apache.avro.specific.SpecificRecord> KafkaProducer<String, V> producer(
            final KafkaSettings settings, final String clientId, final TopicSpec<V> topic, final Duration timeout) {
        final Serde<V> serde = AvroSerdes.valueSerde(topic, settings.registryConfig());
        final Map<String, Object> props = settings.producerProps(clientId);
        final int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (long) ms);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, ms);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1000, ms / 2 - 10));
        // Every webhook waits for its acknowledgement, so lingering adds straight to its latency; batches still form
        // from the records that arrive while earlier ones are in flight.
        props.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        return new KafkaProducer<>(props, new StringSerializer(), serde.serializer());
    }

    /**
     * Sends every record and waits for all acknowledgements.
     *
     * @throws PublishException when any record was not acknowledged; the caller must not acknowledge its sender
     */
    @Override
    public int publish(final Normalized signals, final SignalContext context) {
        try {
            return publishAsync(signals, context).get(ackTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof PublishException p ? p
                    : new PublishException("Kafka did not acknowledge the write: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new PublishException("Kafka did not acknowledge the write within " + ackTimeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("interrupted while waiting for Kafka", e);
        }
    }

    /**
     * Sends every record without waiting: the future completes once Kafka acknowledged all of them, and fails with a
     * {@link PublishException} at the first one it refused. The producer's delivery timeout (the ack timeout) bounds
     * when that happens, so no timer per call is needed. Acknowledgements complete it on the producer's network
     * thread, so what the caller chains to it must be quick.
     */
    @Override
    public CompletableFuture<Integer> publishAsync(final Normalized signals, final SignalContext context) {
        final int total = signals.size();
        final CompletableFuture<Integer> done = new CompletableFuture<>();
        final AtomicInteger left = new AtomicInteger(total);
        final Callback ack = (metadata, error) -> {
            if (error != null) {
                done.completeExceptionally(new PublishException("Kafka did not acknowledge the write: "
                        + error.getMessage(), error));
            } else if (left.decrementAndGet() == 0) {
                done.complete(total);
            }
        };
        try {
            for (final AlertEvent a : signals.alerts()) {
                alerts.send(record(Topics.ALERTS_RAW, a.getFingerprint(), a, context), ack);
            }
            for (final LogRecord l : signals.logs()) {
                logs.send(record(Topics.LOGS_RAW, l.getService(), l, context), ack);
            }
            for (final MetricWindow m : signals.metrics()) {
                metrics.send(record(Topics.METRIC_WINDOWS, m.getService() + "/" + m.getMetric(), m, context), ack);
            }
        } catch (KafkaException e) {
            // Refused before it was queued (a value the registry could not be asked to encode, a closed producer).
            done.completeExceptionally(new PublishException("Kafka did not accept the write: " + e.getMessage(), e));
        }
        if (total == 0) {
            done.complete(0);
        }
        return done;
    }

    private static <V> ProducerRecord<String, V> record(final TopicSpec<?> topic, final String key, final V value,
                                                         final SignalContext context) {
        final ProducerRecord<String, V> record = new ProducerRecord<>(topic.name(), key, value);
        if (context.replayRunId() != null) {
            record.headers().add(Headers.REPLAY, context.replayRunId().getBytes(StandardCharsets.UTF_8));
        }
        if (context.traceParent() != null) {
            record.headers().add(Headers.TRACEPARENT, context.traceParent().getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    /** Exposes the producers' own metrics (send rate, errors, latency) in {@code registry}. */
    public List<AutoCloseable> bindMetrics(final MeterRegistry registry) {
        final List<AutoCloseable> bindings = new ArrayList<>();
        for (final KafkaProducer<?, ?> producer : List.of(alerts, logs, metrics)) {
            final KafkaClientMetrics binding = new KafkaClientMetrics(producer);
            binding.bindTo(registry);
            bindings.add(binding);
        }
        return bindings;
    }

    @Override
    public void close() {
        alerts.close();
        logs.close();
        metrics.close();
    }
}
