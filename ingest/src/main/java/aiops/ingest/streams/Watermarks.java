package aiops.ingest.streams;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Event-time progress per upstream partition. The watermark is the smallest of the partitions' largest event times,
 * so one partition racing ahead (a backlog, a replay) does not make the others' records late. A partition that has
 * delivered nothing for {@code idle} of wall-clock time stops holding the watermark back. Progress is kept in the
 * meta store, so it survives restarts.
 */
final class Watermarks {

    private static final String PREFIX = "partition-time-";

    private final KeyValueStore<String, Long> store;
    private final String prefix;
    private final long idleMillis;
    private final int expectedPartitions;
    private final long startedAt;
    private final Map<Integer, Long> lastSeenWallClock = new HashMap<>();
    private final Map<Integer, Long> eventTime = new HashMap<>();

    /** @param expectedPartitions upstream partitions; until each has spoken or the idle period passed, none is skipped */
    Watermarks(final KeyValueStore<String, Long> store, final String scope, final java.time.Duration idle,
               final int expectedPartitions, final long now) {
        this.store = store;
        this.prefix = scope + PREFIX;
        this.idleMillis = idle.toMillis();
        this.expectedPartitions = expectedPartitions;
        this.startedAt = now;
        try (var it = store.range(prefix, prefix + "~")) {
            it.forEachRemaining(kv -> {
                final int partition = Integer.parseInt(kv.key.substring(prefix.length()));
                eventTime.put(partition, kv.value);
                lastSeenWallClock.put(partition, now);
            });
        }
    }

    void observe(final int partition, final long time, final long now) {
        final long max = Math.max(eventTime.getOrDefault(partition, Long.MIN_VALUE), time);
        if (max != eventTime.getOrDefault(partition, Long.MIN_VALUE)) {
            eventTime.put(partition, max);
            store.put(prefix + partition, max);
        }
        lastSeenWallClock.put(partition, now);
    }

    /** Smallest event time among partitions active within the idle period; the largest of all when none is. */
    /** Removes this scope's progress from the store (a finished replay run). */
    void forget() {
        eventTime.keySet().forEach(p -> store.delete(prefix + p));
        eventTime.clear();
    }

    long watermark(final long now) {
        if (eventTime.size() < expectedPartitions && now - startedAt <= idleMillis) {
            // A partition that has not delivered yet may still hold the oldest records.
            return Long.MIN_VALUE;
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (final Map.Entry<Integer, Long> e : eventTime.entrySet()) {
            max = Math.max(max, e.getValue());
            if (now - lastSeenWallClock.getOrDefault(e.getKey(), 0L) <= idleMillis) {
                min = Math.min(min, e.getValue());
            }
        }
        return min == Long.MAX_VALUE ? max : min;
    }
}
