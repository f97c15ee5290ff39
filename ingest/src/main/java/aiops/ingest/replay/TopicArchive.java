package aiops.ingest.replay;

import aiops.avro.AlertEvent;
import aiops.avro.LogRecord;
import aiops.avro.MetricWindow;
import aiops.common.kafka.KafkaSettings;
import aiops.ingest.normalize.Normalized;
import aiops.schemas.AvroSerdes;
import aiops.schemas.Headers;
import aiops.schemas.TopicSpec;
import aiops.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The live signals archived on the raw topics between two instants (record timestamps, found through the brokers'
 * time index), as a replay timeline spaced as they arrived. Records of earlier replays are left out, so a replay never
 * replays a replay. Held in memory, so one replay reads at most {@link #MAX_RECORDS} records.
 */
public final class TopicArchive {

    public static final int MAX_RECORDS = 2_000_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private TopicArchive() {
    }

    /** An archived record before re-stamping, with the time it was written. */
    private record Archived(long timestamp, String origin, Function<String, Normalized> records) {
    }

    /** @throws IllegalArgumentException when the range is empty or backwards, or holds too many records */
    public static List<ReplayStep> read(final KafkaSettings kafka, final Instant since, final Instant until,
                                        final String runId) {
        if (!since.isBefore(until)) {
            throw new IllegalArgumentException("--since " + since + " must be before --until " + until);
        }
        final List<Archived> archived = new ArrayList<>();
        read(kafka, Topics.ALERTS_RAW, since, until, archived, (AlertEvent a) -> run -> Normalized.ofAlerts(List.of(
                AlertEvent.newBuilder(a).setEventId(a.getEventId() + "~" + run).setReplayRunId(run).build())));
        read(kafka, Topics.LOGS_RAW, since, until, archived, (LogRecord l) -> run -> Normalized.ofLogs(List.of(
                LogRecord.newBuilder(l).setEventId(l.getEventId() + "~" + run).setReplayRunId(run).build())));
        read(kafka, Topics.METRIC_WINDOWS, since, until, archived, (MetricWindow m) -> run -> Normalized.ofMetrics(
                List.of(MetricWindow.newBuilder(m).setReplayRunId(run).build())));
        archived.sort(Comparator.comparingLong(Archived::timestamp));
        final long first = archived.isEmpty() ? 0 : archived.get(0).timestamp();
        return archived.stream().map(a -> new ReplayStep(runId, Duration.ofMillis(a.timestamp() - first), a.origin(),
                a.records())).toList();
    }

    private static <V extends SpecificRecord> void read(final KafkaSettings kafka, final TopicSpec<V> topic,
                                                        final Instant since, final Instant until,
                                                        final List<Archived> out,
                                                        final Function<V, Function<String, Normalized>> restamp) {
        try (Serde<V> serde = AvroSerdes.valueSerde(topic, kafka.registryConfig());
             KafkaConsumer<String, V> consumer = new KafkaConsumer<>(kafka.consumerProps(null), new StringDeserializer(),
                     serde.deserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), TIMEOUT).stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            final Map<TopicPartition, Long> from = offsets(consumer, partitions, since);
            final Map<TopicPartition, Long> to = offsets(consumer, partitions, until);
            consumer.assign(partitions);
            partitions.forEach(tp -> consumer.seek(tp, from.get(tp)));
            final long deadline = System.nanoTime() + TIMEOUT.toNanos() * 5;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < to.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic.name() + " up to " + until + " in time");
                }
                try {
                    for (final ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(200))) {
                        final TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                        if (r.offset() >= to.get(tp) || r.value() == null || r.headers().lastHeader(Headers.REPLAY) != null) {
                            continue;
                        }
                        if (out.size() >= MAX_RECORDS) {
                            throw new IllegalArgumentException("more than " + MAX_RECORDS
                                    + " archived records between " + since + " and " + until + ": replay a shorter range");
                        }
                        out.add(new Archived(r.timestamp(), r.topic() + "-" + r.partition() + "@" + r.offset(),
                                restamp.apply(r.value())));
                    }
                } catch (final RecordDeserializationException e) {
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        }
    }

    /** The first offset at or after {@code at} per partition; the end offset where there is none. */
    private static Map<TopicPartition, Long> offsets(final KafkaConsumer<?, ?> consumer,
                                                     final List<TopicPartition> partitions, final Instant at) {
        final Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, at.toEpochMilli()));
        final Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, TIMEOUT);
        final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
        final Map<TopicPartition, Long> out = new HashMap<>();
        partitions.forEach(tp -> out.put(tp, found.get(tp) == null ? ends.get(tp) : found.get(tp).offset()));
        return out;
    }
}
