package aiops.common.kafka;

import aiops.schemas.AvroSerdes;
import aiops.schemas.RegistryFailures;
import aiops.schemas.TopicSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest value per key of a compacted topic (catalogue, budgets), kept current by a background reader
 * with no consumer group: every instance sees every partition, like a GlobalKTable without Streams.
 */
public final class CompactedTopicView<V extends SpecificRecord> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CompactedTopicView.class);

    private final TopicSpec<V> topic;
    private final Map<String, V> values = new ConcurrentHashMap<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final KafkaConsumer<String, V> consumer;
    private final Serde<V> serde;
    private final BiConsumer<String, V> onChange;
    private final Thread reader;
    private volatile boolean running = true;

    private CompactedTopicView(final KafkaSettings kafka, final TopicSpec<V> topic, final BiConsumer<String, V> onChange) {
        this.topic = topic;
        this.onChange = onChange;
        this.serde = AvroSerdes.valueSerde(topic, kafka.registryConfig());
        this.consumer = new KafkaConsumer<>(kafka.consumerProps(null), new StringDeserializer(), serde.deserializer());
        this.reader = new Thread(this::run, "view-" + topic.name());
        this.reader.setDaemon(true);
    }

    /** Starts reading {@code topic} from the beginning; {@code onChange} sees every update (null value = delete). */
    public static <V extends SpecificRecord> CompactedTopicView<V> start(final KafkaSettings kafka, final TopicSpec<V> topic,
                                                                         final BiConsumer<String, V> onChange) {
        final CompactedTopicView<V> view = new CompactedTopicView<>(kafka, topic, onChange);
        view.reader.start();
        return view;
    }

    public static <V extends SpecificRecord> CompactedTopicView<V> start(final KafkaSettings kafka, final TopicSpec<V> topic) {
        return start(kafka, topic, (k, v) -> { });
    }

    public Optional<V> get(final String key) {
        return Optional.ofNullable(values.get(key));
    }

    public Map<String, V> snapshot() {
        return Map.copyOf(values);
    }

    /** True once everything on the topic when the view started has been read. */
    public boolean awaitCaughtUp(final Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (running) {
                final Iterable<ConsumerRecord<String, V>> records;
                try {
                    records = consumer.poll(Duration.ofMillis(200));
                } catch (final RecordDeserializationException e) {
                    if (RegistryFailures.isUnavailable(e)) {
                        // A skipped entry would stay missing until its key changes again: read it once the registry
                        // answers.
                        LOG.warn("schema registry unavailable reading {}@{} on {}; retrying", e.topicPartition(),
                                e.offset(), topic.name());
                        consumer.seek(e.topicPartition(), e.offset());
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
                        continue;
                    }
                    LOG.warn("skipping unreadable record {}@{} on {}", e.topicPartition(), e.offset(), topic.name());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                    continue;
                }
                for (final ConsumerRecord<String, V> r : records) {
                    if (r.key() == null) {
                        continue;
                    }
                    if (r.value() == null) {
                        values.remove(r.key());
                    } else {
                        values.put(r.key(), r.value());
                    }
                    onChange.accept(r.key(), r.value());
                }
                if (caughtUp.getCount() > 0 && partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp))) {
                    caughtUp.countDown();
                }
            }
        } catch (final WakeupException e) {
            // closing
        } catch (final RuntimeException e) {
            LOG.error("reader of {} stopped", topic.name(), e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
            serde.close();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        reader.join(5_000);
    }
}
