package aiops.app.runtime;

import aiops.common.kafka.KafkaSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Waits until a consumer group has committed up to the end of its input topics. */
public final class Quiescence {

    private Quiescence() {
    }

    /** @return true when the group caught up within {@code timeout} */
    public static boolean awaitCaughtUp(final KafkaSettings kafka, final String group, final List<String> topics,
                                        final Duration timeout) throws Exception {
        final Instant deadline = Instant.now().plus(timeout);
        try (Admin admin = Admin.create(kafka.adminProps())) {
            while (Instant.now().isBefore(deadline)) {
                if (lag(admin, group, topics) == 0) {
                    return true;
                }
                Thread.sleep(200);
            }
        }
        return false;
    }

    private static long lag(final Admin admin, final String group, final List<String> topics) throws Exception {
        final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        final Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
        admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).forEach((name, d) ->
                d.partitions().forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        final Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(request).all()
                .get(10, TimeUnit.SECONDS);
        long lag = 0;
        for (final var e : ends.entrySet()) {
            final OffsetAndMetadata c = committed.get(e.getKey());
            // Transaction markers take an offset, so a caught-up group may sit one behind the end.
            final long behind = e.getValue().offset() - (c == null ? 0 : c.offset());
            lag += Math.max(0, behind > 1 || c == null && e.getValue().offset() > 0 ? behind : 0);
        }
        return lag;
    }
}
