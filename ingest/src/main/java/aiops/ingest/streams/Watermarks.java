package aiops.ingest.streams;

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
    // Indexed by partition + 1 (records without a partition header count as partition -1). Arrays, not maps: the
    // correlator asks for the watermark after every record, and boxed map entries showed in its profile.
    private long[] eventTime = new long[0];
    private long[] lastSeenWallClock = new long[0];
    private boolean[] seen = new boolean[0];
    private String[] storeKeys = new String[0];
    private int seenCount;

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
                final int slot = slot(Integer.parseInt(kv.key.substring(prefix.length())));
                mark(slot);
                eventTime[slot] = kv.value;
                lastSeenWallClock[slot] = now;
            });
        }
    }

    void observe(final int partition, final long time, final long now) {
        final int slot = slot(partition);
        if (!seen[slot] || time > eventTime[slot]) {
            mark(slot);
            eventTime[slot] = time;
            store.put(storeKeys[slot], time);
        }
        lastSeenWallClock[slot] = now;
    }

    /** Removes this scope's progress from the store (a finished replay run). */
    void forget() {
        for (int slot = 0; slot < seen.length; slot++) {
            if (seen[slot]) {
                store.delete(storeKeys[slot]);
                seen[slot] = false;
            }
        }
        seenCount = 0;
    }

    /** Smallest event time among partitions active within the idle period; the largest of all when none is. */
    long watermark(final long now) {
        if (seenCount < expectedPartitions && now - startedAt <= idleMillis) {
            // A partition that has not delivered yet may still hold the oldest records.
            return Long.MIN_VALUE;
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int slot = 0; slot < seen.length; slot++) {
            if (seen[slot]) {
                max = Math.max(max, eventTime[slot]);
                if (now - lastSeenWallClock[slot] <= idleMillis) {
                    min = Math.min(min, eventTime[slot]);
                }
            }
        }
        return min == Long.MAX_VALUE ? max : min;
    }

    private int slot(final int partition) {
        final int slot = Math.max(0, partition + 1);
        if (slot >= seen.length) {
            final int size = Math.max(slot + 1, seen.length * 2);
            eventTime = java.util.Arrays.copyOf(eventTime, size);
            lastSeenWallClock = java.util.Arrays.copyOf(lastSeenWallClock, size);
            seen = java.util.Arrays.copyOf(seen, size);
            storeKeys = java.util.Arrays.copyOf(storeKeys, size);
        }
        return slot;
    }

    private void mark(final int slot) {
        if (!seen[slot]) {
            seen[slot] = true;
            seenCount++;
            storeKeys[slot] = prefix + (slot - 1);
        }
    }
}
