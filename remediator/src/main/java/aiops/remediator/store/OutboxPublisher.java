package aiops.remediator.store;

import aiops.common.kafka.KafkaSettings;
import aiops.schemas.AvroSerdes;
import aiops.schemas.Headers;
import aiops.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the outbox to Kafka in order (idempotent producer, acks=all) and deletes what Kafka acknowledged. A crash
 * between the two sends some records again with the same event ids.
 */
public final class OutboxPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxPublisher.class);

    private final DataSource db;
    private final KafkaProducer<String, SpecificRecord> producer;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean healthy = true;
    private volatile long published;

    public OutboxPublisher(final KafkaSettings kafka, final DataSource db, final String clientId) {
        this.db = db;
        this.producer = new KafkaProducer<>(kafka.producerProps(clientId), new StringSerializer(), serializer(kafka));
        this.thread = new Thread(this::run, "remediator-outbox");
        this.thread.setDaemon(true);
    }

    @SuppressWarnings("unchecked")
    private static Serializer<SpecificRecord> serializer(final KafkaSettings kafka) {
        return (Serializer<SpecificRecord>) (Serializer<?>) AvroSerdes.valueSerde(Topics.REMEDIATIONS,
                kafka.registryConfig()).serializer();
    }

    public OutboxPublisher start() {
        thread.start();
        return this;
    }

    public boolean isHealthy() {
        return thread.isAlive() && healthy;
    }

    public long published() {
        return published;
    }

    private void run() {
        while (running) {
            try {
                final List<Outbox.Entry> batch = Tx.run(db, c -> Outbox.oldest(c, 500));
                if (batch.isEmpty()) {
                    Thread.sleep(100);
                    continue;
                }
                final List<Future<RecordMetadata>> acks = new ArrayList<>();
                for (final Outbox.Entry e : batch) {
                    final ProducerRecord<String, SpecificRecord> record = new ProducerRecord<>(e.topic(), e.key(), e.value());
                    final String replay = replayRun(e.value());
                    if (replay != null) {
                        record.headers().add(Headers.REPLAY, replay.getBytes(StandardCharsets.UTF_8));
                    }
                    acks.add(producer.send(record));
                }
                for (final Future<RecordMetadata> ack : acks) {
                    ack.get(30, TimeUnit.SECONDS);
                }
                Tx.run(db, c -> {
                    Outbox.delete(c, batch);
                    return null;
                });
                published += batch.size();
                healthy = true;
            } catch (final InterruptedException e) {
                return;
            } catch (final SQLException | ExecutionException | TimeoutException e) {
                healthy = false;
                LOG.warn("outbox not published yet, retrying: {}", e.getMessage());
                try {
                    Thread.sleep(1_000);
                } catch (final InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private static String replayRun(final SpecificRecord value) {
        final var field = value.getSchema().getField("replayRunId");
        final Object run = field == null ? null : value.get(field.pos());
        return run == null ? null : run.toString();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
        producer.close(Duration.ofSeconds(5));
    }

    /** Stops without publishing anything more, as a crash would. */
    public void kill() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(10_000);
        producer.close(Duration.ZERO);
    }
}
