package aiops.ingest.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Bounds the deduplicator's store: a fingerprint not seen for the retention (wall clock) is forgotten, so pods, hosts
 * and replay runs that come and go do not grow the store for ever. Finding the expired ones must not mean reading the
 * whole store, so an index store keeps {@code <time bucket>/<dedup key>} entries, written when a fingerprint is first
 * touched in a new bucket (at most once per bucket, not once per alert). A sweep walks only the buckets past the
 * retention and drops a fingerprint whose last touch is indeed that old; one touched since has a newer entry.
 */
final class DedupExpiry {

    static final String INDEX_STORE = "aiops-dedup-expiry";
    /** Buckets per retention: the index holds about this many entries for a fingerprint that keeps firing. */
    static final int BUCKETS_PER_RETENTION = 24;
    /** Most index entries one sweep visits, so a sweep never holds the stream thread for long. */
    static final int SWEEP_LIMIT = 100_000;
    private static final byte[] PRESENT = new byte[0];

    private final long retentionMs;
    private final long bucketMs;
    private KeyValueStore<String, byte[]> index;

    DedupExpiry(final Duration retention) {
        this.retentionMs = retention.toMillis();
        this.bucketMs = Math.max(Duration.ofMinutes(1).toMillis(), retentionMs / BUCKETS_PER_RETENTION);
    }

    void init(final KeyValueStore<String, byte[]> indexStore) {
        this.index = indexStore;
    }

    /** How often to sweep: once a bucket, at least once a minute. */
    Duration sweepInterval() {
        return Duration.ofMillis(Math.min(bucketMs, Duration.ofMinutes(1).toMillis()));
    }

    /** Records that {@code key} was seen at wall-clock {@code now}; call before storing {@code state}. */
    void touch(final String key, final DedupState state, final boolean fresh, final long now) {
        if (fresh || state.touchedAt / bucketMs != now / bucketMs) {
            index.put(indexKey(now / bucketMs, key), PRESENT);
        }
        state.touchedAt = now;
    }

    /** Forgets every fingerprint untouched since {@code now - retention}; returns how many it forgot. */
    int sweep(final long now, final KeyValueStore<String, DedupState> states) {
        final long cutoff = now - retentionMs;
        // Buckets that end before the cutoff hold only touches older than the retention.
        final String end = indexKey(Math.max(0, cutoff / bucketMs), "");
        final List<String> visited = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = index.range(null, end)) {
            while (it.hasNext() && visited.size() < SWEEP_LIMIT) {
                final KeyValue<String, byte[]> entry = it.next();
                if (entry.key.compareTo(end) < 0) {
                    visited.add(entry.key);
                }
            }
        }
        int forgotten = 0;
        for (final String entry : visited) {
            // put(null) deletes without reading back the old value, which delete() would deserialise.
            index.put(entry, null);
            final String key = entry.substring(entry.indexOf('/') + 1);
            final DedupState state = states.get(key);
            if (state != null && state.touchedAt < cutoff) {
                states.put(key, null);
                forgotten++;
            }
        }
        return forgotten;
    }

    /** Zero-padded so that the index sorts by bucket. */
    static String indexKey(final long bucket, final String key) {
        final String b = Long.toString(bucket);
        return "0".repeat(Math.max(0, 19 - b.length())) + b + "/" + key;
    }
}
