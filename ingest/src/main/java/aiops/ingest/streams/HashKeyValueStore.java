package aiops.ingest.streams;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * An in-memory store on a hash map, for a store read by key and scanned whole but never by range in the hot path:
 * the correlator's reorder buffer, which holds tens of thousands of signals in a backlog. Kafka's in-memory store is
 * a sorted map, where each insert and delete is a walk of cache misses. Restored from its changelog like any store;
 * {@link #all()} gives no order (the interface promises none), {@link #range} sorts the keys it returns.
 */
final class HashKeyValueStore implements KeyValueStore<Bytes, byte[]> {

    private final String name;
    private final Map<Bytes, byte[]> map = new HashMap<>();
    private volatile boolean open;

    private HashKeyValueStore(final String name) {
        this.name = name;
    }

    static KeyValueBytesStoreSupplier supplier(final String name) {
        return new KeyValueBytesStoreSupplier() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return new HashKeyValueStore(name);
            }

            @Override
            public String metricsScope() {
                return "in-memory-hash";
            }
        };
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(final StateStoreContext context, final StateStore root) {
        context.register(root, (key, value) -> put(Bytes.wrap(key), value));
        open = true;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        map.clear();
        open = false;
    }

    @Override
    public Position getPosition() {
        return Position.emptyPosition();
    }

    @Override
    public byte[] get(final Bytes key) {
        return map.get(key);
    }

    @Override
    public void put(final Bytes key, final byte[] value) {
        if (value == null) {
            map.remove(key);
        } else {
            map.put(key, value);
        }
    }

    @Override
    public byte[] putIfAbsent(final Bytes key, final byte[] value) {
        final byte[] current = map.get(key);
        if (current == null) {
            put(key, value);
        }
        return current;
    }

    @Override
    public void putAll(final List<KeyValue<Bytes, byte[]>> entries) {
        entries.forEach(kv -> put(kv.key, kv.value));
    }

    @Override
    public byte[] delete(final Bytes key) {
        return map.remove(key);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(final Bytes from, final Bytes to) {
        final List<KeyValue<Bytes, byte[]>> entries = new ArrayList<>();
        map.forEach((k, v) -> {
            if ((from == null || k.compareTo(from) >= 0) && (to == null || k.compareTo(to) <= 0)) {
                entries.add(KeyValue.pair(k, v));
            }
        });
        entries.sort((a, b) -> a.key.compareTo(b.key));
        return new SnapshotIterator(entries);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        final List<KeyValue<Bytes, byte[]>> entries = new ArrayList<>(map.size());
        map.forEach((k, v) -> entries.add(KeyValue.pair(k, v)));
        return new SnapshotIterator(entries);
    }

    @Override
    public long approximateNumEntries() {
        return map.size();
    }

    /** Iterates a copy, so the store may change while a scan is open. */
    private static final class SnapshotIterator implements KeyValueIterator<Bytes, byte[]> {
        private final List<KeyValue<Bytes, byte[]>> entries;
        private int next;

        SnapshotIterator(final List<KeyValue<Bytes, byte[]>> entries) {
            this.entries = entries;
        }

        @Override
        public boolean hasNext() {
            return next < entries.size();
        }

        @Override
        public KeyValue<Bytes, byte[]> next() {
            final KeyValue<Bytes, byte[]> entry = entries.get(checkNext());
            next++;
            return entry;
        }

        @Override
        public Bytes peekNextKey() {
            return entries.get(checkNext()).key;
        }

        private int checkNext() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            return next;
        }

        @Override
        public void close() {
        }
    }
}
