package aiops.ingest.streams;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A key-value store that keeps the values its processor wrote since the last commit as live objects and hands them to
 * the store it wraps (metered, cached, change-logged) only when Kafka Streams flushes the task's caches, which it does
 * first thing in every commit, before the changelog is flushed and the transaction committed. A key written many
 * times between two commits is serialised once instead of on every write; a key written and deleted between two
 * commits is not serialised at all. The committed state is the same as with a plain store: everything written before
 * a commit reaches the changelog inside that commit's transaction, and what was written after the last commit of a
 * failed task is dropped with the rest of its uncommitted work ({@link #clearCache}).
 *
 * <p>Kafka Streams has no public hook that runs before a commit; this store takes the one its own caching layer uses
 * ({@code CachedStateStore.flushCache}, through {@link WrappedStateStore}). {@code WriteBehindStoreTest} pins that the
 * hook runs on every commit path a test can drive. A value handed to {@link #put} must not be changed afterwards
 * unless it is put again before the next commit; the processors here always put what they change.
 * Scans flush first, so they see every write. Interactive queries, from other threads, see the last flushed state.
 */
final class WriteBehindStore<K, V> extends WrappedStateStore<KeyValueStore<K, V>, K, V> implements KeyValueStore<K, V> {

    /** Values written since the last flush; a {@code null} value is a pending delete. */
    private final Map<K, V> pending = new HashMap<>();

    private WriteBehindStore(final KeyValueStore<K, V> wrapped) {
        super(wrapped);
    }

    /** Builds the given store and puts a write-behind layer over it. */
    static <K, V> StoreBuilder<KeyValueStore<K, V>> over(final StoreBuilder<KeyValueStore<K, V>> builder) {
        return new Builder<>(builder);
    }

    @Override
    public V get(final K key) {
        return pending.containsKey(key) ? pending.get(key) : wrapped().get(key);
    }

    @Override
    public void put(final K key, final V value) {
        if (value == null) {
            remove(key);
        } else {
            pending.put(key, value);
        }
    }

    @Override
    public V putIfAbsent(final K key, final V value) {
        final V current = get(key);
        if (current == null) {
            put(key, value);
        }
        return current;
    }

    @Override
    public void putAll(final List<KeyValue<K, V>> entries) {
        entries.forEach(kv -> put(kv.key, kv.value));
    }

    @Override
    public V delete(final K key) {
        final V current = get(key);
        remove(key);
        return current;
    }

    /**
     * A key written since the last flush and absent below (a buffered signal that was applied before the commit)
     * is simply forgotten: no tombstone reaches the wrapped store or its changelog.
     */
    private void remove(final K key) {
        if (pending.get(key) != null && wrapped().get(key) == null) {
            pending.remove(key);
        } else {
            pending.put(key, null);
        }
    }

    @Override
    public KeyValueIterator<K, V> range(final K from, final K to) {
        writePending();
        return wrapped().range(from, to);
    }

    @Override
    public KeyValueIterator<K, V> reverseRange(final K from, final K to) {
        writePending();
        return wrapped().reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<K, V> all() {
        writePending();
        return wrapped().all();
    }

    @Override
    public KeyValueIterator<K, V> reverseAll() {
        writePending();
        return wrapped().reverseAll();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(final P prefix, final PS prefixKeySerializer) {
        writePending();
        return wrapped().prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return wrapped().approximateNumEntries() + pending.size();
    }

    @Override
    public void flushCache() {
        writePending();
        super.flushCache();
    }

    @Override
    public void clearCache() {
        pending.clear();
        super.clearCache();
    }

    @Override
    public void close() {
        pending.clear();
        super.close();
    }

    /** Number of keys written since the last flush (for tests). */
    int pendingWrites() {
        return pending.size();
    }

    private void writePending() {
        if (pending.isEmpty()) {
            return;
        }
        // put(key, null) deletes without reading the old value back, which delete() would deserialise.
        pending.forEach(wrapped()::put);
        pending.clear();
    }

    private record Builder<K, V>(StoreBuilder<KeyValueStore<K, V>> inner) implements StoreBuilder<KeyValueStore<K, V>> {

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withCachingEnabled() {
            return new Builder<>(inner.withCachingEnabled());
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withCachingDisabled() {
            return new Builder<>(inner.withCachingDisabled());
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withLoggingEnabled(final Map<String, String> config) {
            return new Builder<>(inner.withLoggingEnabled(config));
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withLoggingDisabled() {
            return new Builder<>(inner.withLoggingDisabled());
        }

        @Override
        public KeyValueStore<K, V> build() {
            return new WriteBehindStore<>(inner.build());
        }

        @Override
        public Map<String, String> logConfig() {
            return inner.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return inner.loggingEnabled();
        }

        @Override
        public String name() {
            return inner.name();
        }
    }
}
