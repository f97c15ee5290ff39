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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes normalised signals to the raw topics and returns only when Kafka has acknowledged every record
 * ({@code acks=all}, idempotent): a caller may answer its sender 2xx only after {@link #publish} returned.
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
        // Every sender waits for its acknowledgement, so lingering adds straight to each webhook's latency; batches
        // still form from the records that arrive while earlier requests are in flight.
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
        final List<Future<RecordMetadata>> pending = new ArrayList<>(signals.size());
        for (final AlertEvent a : signals.alerts()) {
            pending.add(alerts.send(record(Topics.ALERTS_RAW, a.getFingerprint(), a, context)));
        }
        for (final LogRecord l : signals.logs()) {
            pending.add(logs.send(record(Topics.LOGS_RAW, l.getService(), l, context)));
        }
        for (final MetricWindow m : signals.metrics()) {
            pending.add(metrics.send(record(Topics.METRIC_WINDOWS, m.getService() + "/" + m.getMetric(), m, context)));
        }
        for (final Future<RecordMetadata> ack : pending) {
            try {
                ack.get(ackTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new PublishException("Kafka did not acknowledge the write: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PublishException("interrupted while waiting for Kafka", e);
            }
        }
        return pending.size();
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
