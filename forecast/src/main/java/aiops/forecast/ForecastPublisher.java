package aiops.forecast;

import aiops.avro.AlertEvent;
import aiops.avro.Forecast;
import aiops.common.kafka.KafkaSettings;
import aiops.forecast.store.SeriesKey;
import aiops.schemas.AvroSerdes;
import aiops.schemas.Headers;
import aiops.schemas.TopicSpec;
import aiops.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends forecasts and predicted-exhaustion alerts (idempotent producers, acks from all replicas). A replay run's
 * records carry its run header, like every other record of the run.
 */
final class ForecastPublisher implements AutoCloseable {

    private final Serde<Forecast> forecastSerde;
    private final Serde<AlertEvent> alertSerde;
    private final KafkaProducer<String, Forecast> forecasts;
    private final KafkaProducer<String, AlertEvent> alerts;
    private final List<Future<?>> pending = new ArrayList<>();

    ForecastPublisher(final KafkaSettings kafka, final String clientId) {
        this.forecastSerde = AvroSerdes.valueSerde(Topics.FORECASTS, kafka.registryConfig());
        this.alertSerde = AvroSerdes.valueSerde(Topics.ALERTS_RAW, kafka.registryConfig());
        this.forecasts = new KafkaProducer<>(kafka.producerProps(clientId + "-forecasts"), new StringSerializer(),
                forecastSerde.serializer());
        this.alerts = new KafkaProducer<>(kafka.producerProps(clientId + "-alerts"), new StringSerializer(),
                alertSerde.serializer());
    }

    void forecast(final SeriesKey key, final Forecast f) {
        pending.add(forecasts.send(record(Topics.FORECASTS, key.topicKey(), f, key)));
    }

    void alert(final SeriesKey key, final AlertEvent a) {
        pending.add(alerts.send(record(Topics.ALERTS_RAW, a.getFingerprint(), a, key)));
    }

    /** Waits until Kafka acknowledged everything sent since the last call. */
    void awaitAcks(final Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (final Future<?> f : pending) {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } finally {
            pending.clear();
        }
    }

    private static <V extends SpecificRecord> ProducerRecord<String, V> record(final TopicSpec<V> topic,
                                                                               final String key, final V value,
                                                                               final SeriesKey series) {
        final ProducerRecord<String, V> r = new ProducerRecord<>(topic.name(), key, value);
        if (!series.live()) {
            r.headers().add(Headers.REPLAY, series.run().getBytes(StandardCharsets.UTF_8));
        }
        return r;
    }

    @Override
    public void close() {
        forecasts.close(Duration.ofSeconds(5));
        alerts.close(Duration.ofSeconds(5));
        forecastSerde.close();
        alertSerde.close();
    }
}
