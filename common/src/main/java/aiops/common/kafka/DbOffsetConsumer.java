package aiops.common.kafka;

import aiops.schemas.AvroSerdes;
import aiops.schemas.Headers;
import aiops.schemas.RegistryFailures;
import aiops.schemas.TopicSpec;
import aiops.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes a topic into PostgreSQL with the offsets kept in the database: each poll is one database transaction
 * holding the rows and the next offset per partition, and a (re)assigned partition starts from the offset stored
 * there. A crash at any point therefore either keeps a whole batch with its offsets or neither. While the database
 * is unreachable the batch is retried with backoff from the same offsets and {@link #isHealthy()} is false.
 * Records that do not decode go to the DLQ with the reason and are skipped; a record that cannot be decoded because
 * the schema registry cannot be asked is not poison, so the batch waits with backoff like a database outage.
 * A poison record is dead-lettered once however often its batch is retried in this process; a crash between the
 * dead letter and the batch's commit sends it again on restart (the DLQ is at least once: its source topic, partition
 * and offset headers identify a repeat).
 */
public final class DbOffsetConsumer<V extends SpecificRecord> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DbOffsetConsumer.class);

    /** Writes one batch inside the open transaction. */
    public interface BatchWriter<V> {
        void write(Connection connection, List<V> values) throws SQLException;
    }

    private final TopicSpec<V> topic;
    private final String group;
    private final String owner;
    private final String offsetsTable;
    private final DataSource db;
    private final BatchWriter<V> writer;
    private final Consumer<List<V>> afterCommit;
    private final Serde<V> serde;
    private final Deserializer<V> deserializer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> dlq;
    private final Thread loop;
    private volatile boolean running = true;
    private volatile boolean healthy = true;
    private volatile boolean killed;
    private volatile long committedRecords;
    /** Per partition, the highest offset this consumer dead-lettered that is not yet behind a committed batch. */
    private final Map<TopicPartition, Long> deadLetteredUpTo = new HashMap<>();

    /**
     * @param owner       the module that owns the table {@code <owner>_consumer_offsets (consumer_group TEXT,
     *                    topic TEXT, partition_no INTEGER, next_offset BIGINT, PRIMARY KEY (consumer_group, topic,
     *                    partition_no))}; also names the stage in dead letters ({@code <owner>-deserialization})
     * @param afterCommit called after every committed batch, and with an empty list after an empty poll
     */
    public DbOffsetConsumer(final KafkaSettings kafka, final TopicSpec<V> topic, final String group,
                            final String owner, final DataSource db, final int maxBatch,
                            final BatchWriter<V> writer, final Consumer<List<V>> afterCommit) {
        if (!owner.matches("[a-z]{1,40}")) {
            throw new IllegalArgumentException("not a module name: " + owner);
        }
        this.topic = topic;
        this.group = group;
        this.owner = owner;
        this.offsetsTable = owner + "_consumer_offsets";
        this.db = db;
        this.writer = writer;
        this.afterCommit = afterCommit;
        this.serde = AvroSerdes.valueSerde(topic, kafka.registryConfig());
        this.deserializer = serde.deserializer();
        final Map<String, Object> props = kafka.consumerProps(group);
        props.put("max.poll.records", maxBatch);
        props.put("client.id", group + "-" + topic.name());
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.dlq = new KafkaProducer<>(kafka.producerProps(group + "-dlq"), new ByteArraySerializer(),
                new ByteArraySerializer());
        this.loop = new Thread(this::run, group + "-" + topic.name());
    }

    public DbOffsetConsumer<V> start() {
        loop.start();
        return this;
    }

    public boolean isHealthy() {
        return loop.isAlive() && healthy;
    }

    public long committedRecords() {
        return committedRecords;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic.name()), new SeekToStoredOffsets());
            long backoffMs = 200;
            while (running) {
                final ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    afterCommit.accept(List.of());
                    continue;
                }
                final List<V> values = new ArrayList<>(records.count());
                final Map<TopicPartition, Long> first = new HashMap<>();
                final Map<TopicPartition, Long> next = new HashMap<>();
                for (final ConsumerRecord<String, byte[]> r : records) {
                    final TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    first.putIfAbsent(tp, r.offset());
                    next.put(tp, r.offset() + 1);
                }
                try {
                    for (final ConsumerRecord<String, byte[]> r : records) {
                        final V value = decode(r);
                        if (value != null) {
                            values.add(value);
                        }
                    }
                    commit(values, next);
                    deadLetteredUpTo.entrySet().removeIf(e -> next.getOrDefault(e.getKey(), -1L) > e.getValue());
                    committedRecords += records.count();
                    healthy = true;
                    backoffMs = 200;
                    afterCommit.accept(values);
                } catch (final SQLException | RegistryUnavailable e) {
                    healthy = false;
                    LOG.warn("{} of {} records failed, retrying in {} ms: {}", e instanceof SQLException
                            ? "database write" : "schema lookup", records.count(), backoffMs, e.getMessage());
                    first.forEach(consumer::seek);
                    Thread.sleep(backoffMs);
                    backoffMs = Math.min(backoffMs * 2, 5_000);
                }
            }
        } catch (final WakeupException | InterruptedException e) {
            // stopping
        } catch (final RuntimeException e) {
            LOG.error("{} consumer stopped", topic.name(), e);
            healthy = false;
        }
    }

    private void commit(final List<V> values, final Map<TopicPartition, Long> next) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                writer.write(c, values);
                storeOffsets(c, next);
                c.commit();
            } catch (final SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * The record's value, or null after sending it to the DLQ when it does not decode.
     *
     * @throws RegistryUnavailable when the registry could not be asked for the record's schema
     */
    private V decode(final ConsumerRecord<String, byte[]> r) throws RegistryUnavailable {
        if (r.value() == null) {
            return null;
        }
        try {
            return deserializer.deserialize(r.topic(), r.headers(), r.value());
        } catch (final RuntimeException e) {
            if (RegistryFailures.isUnavailable(e)) {
                throw new RegistryUnavailable(e);
            }
            final TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            // Decoding is deterministic and a partition is decoded in offset order, so a poison record at or below
            // the mark was dead-lettered by an earlier attempt at this batch.
            if (r.offset() <= deadLetteredUpTo.getOrDefault(tp, -1L)) {
                return null;
            }
            final ProducerRecord<byte[], byte[]> dead = new ProducerRecord<>(Topics.DLQ.name(),
                    r.key() == null ? null : r.key().getBytes(StandardCharsets.UTF_8), r.value());
            dead.headers().add(Headers.DLQ_SOURCE_TOPIC, bytes(r.topic()));
            dead.headers().add(Headers.DLQ_SOURCE_PARTITION, bytes(Integer.toString(r.partition())));
            dead.headers().add(Headers.DLQ_SOURCE_OFFSET, bytes(Long.toString(r.offset())));
            dead.headers().add(Headers.DLQ_STAGE, bytes(owner + "-deserialization"));
            dead.headers().add(Headers.DLQ_REASON, bytes(String.valueOf(e.getMessage())));
            try {
                dlq.send(dead).get();
            } catch (final InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while dead-lettering", ie);
            } catch (final java.util.concurrent.ExecutionException ee) {
                throw new IllegalStateException("could not dead-letter " + r.topic() + "@" + r.offset(), ee);
            }
            deadLetteredUpTo.put(tp, r.offset());
            LOG.warn("undecodable record {}-{}@{} sent to the DLQ", r.topic(), r.partition(), r.offset());
            return null;
        }
    }

    private void storeOffsets(final Connection c, final Map<TopicPartition, Long> next) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO " + offsetsTable
                + " (consumer_group, topic, partition_no, next_offset) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (consumer_group, topic, partition_no) DO UPDATE SET next_offset = excluded.next_offset")) {
            for (final Map.Entry<TopicPartition, Long> e : next.entrySet()) {
                st.setString(1, group);
                st.setString(2, e.getKey().topic());
                st.setInt(3, e.getKey().partition());
                st.setLong(4, e.getValue());
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    private Map<Integer, Long> storedOffsets(final Connection c) throws SQLException {
        final Map<Integer, Long> out = new HashMap<>();
        try (PreparedStatement st = c.prepareStatement("SELECT partition_no, next_offset FROM " + offsetsTable
                + " WHERE consumer_group = ? AND topic = ?")) {
            st.setString(1, group);
            st.setString(2, topic.name());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getInt(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    private static byte[] bytes(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Positions come from the database, not from Kafka's committed offsets. */
    private final class SeekToStoredOffsets implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(final Collection<TopicPartition> partitions) {
            // Without the stored offsets there is no safe place to start: wait for the database (bounded by the
            // poll interval, after which the group moves the partitions elsewhere).
            final long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            while (true) {
                try (Connection c = db.getConnection()) {
                    final Map<Integer, Long> stored = storedOffsets(c);
                    for (final TopicPartition tp : partitions) {
                        final Long offset = stored.get(tp.partition());
                        if (offset == null) {
                            consumer.seekToBeginning(List.of(tp));
                        } else {
                            consumer.seek(tp, offset);
                        }
                    }
                    return;
                } catch (final SQLException e) {
                    healthy = false;
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("cannot read stored offsets of " + topic.name(), e);
                    }
                    LOG.warn("cannot read stored offsets of {} yet: {}", topic.name(), e.getMessage());
                    try {
                        Thread.sleep(1_000);
                    } catch (final InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted", ie);
                    }
                }
            }
        }

        @Override
        public void onPartitionsRevoked(final Collection<TopicPartition> partitions) {
            // Nothing to commit: every finished batch is already in the database with its offsets.
        }
    }

    /** Stops at once, as a crash would: the batch in hand is neither written nor acknowledged. */
    public void kill() throws InterruptedException {
        killed = true;
        running = false;
        consumer.wakeup();
        loop.join(10_000);
        consumer.close(Duration.ZERO);
        dlq.close(Duration.ZERO);
        serde.close();
    }

    @Override
    public void close() throws InterruptedException {
        if (killed) {
            return;
        }
        running = false;
        consumer.wakeup();
        loop.join(15_000);
        consumer.close(Duration.ofSeconds(5));
        dlq.close(Duration.ofSeconds(5));
        serde.close();
    }

    /** The schema registry could not be asked; the batch is retried, nothing is dead-lettered. */
    private static final class RegistryUnavailable extends Exception {
        RegistryUnavailable(final RuntimeException cause) {
            super(String.valueOf(cause.getMessage()), cause);
        }
    }
}
