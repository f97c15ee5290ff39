package aiops.ingest.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.CommitCallback;
import org.apache.kafka.streams.processor.StateRestoreCallback;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HashKeyValueStoreTest {

    private final AtomicReference<StateRestoreCallback> restore = new AtomicReference<>();
    private KeyValueStore<Bytes, byte[]> store;

    @BeforeEach
    void setUp() {
        store = HashKeyValueStore.supplier("buffer").get();
        store.init(new RegisteringContext(restore), store);
    }

    @Test
    void shouldRestoreFromTheChangelogThroughTheCallbackItRegisters() {
        assertThat(store.isOpen()).isTrue();
        restore.get().restore(bytes("a"), bytes("1"));
        restore.get().restore(bytes("b"), bytes("2"));
        restore.get().restore(bytes("a"), null);

        assertThat(store.get(key("a"))).as("a tombstone in the changelog deletes").isNull();
        assertThat(store.get(key("b"))).isEqualTo(bytes("2"));
        assertThat(store.approximateNumEntries()).isEqualTo(1);
    }

    @Test
    void shouldPutDeleteAndTreatANullValueAsADelete() {
        store.put(key("a"), bytes("1"));
        assertThat(store.putIfAbsent(key("a"), bytes("2"))).isEqualTo(bytes("1"));
        store.put(key("b"), bytes("1"));
        store.put(key("b"), null);

        assertThat(store.get(key("a"))).isEqualTo(bytes("1"));
        assertThat(store.get(key("b"))).isNull();
        assertThat(store.delete(key("a"))).isEqualTo(bytes("1"));
        assertThat(store.approximateNumEntries()).isZero();
    }

    @Test
    void shouldScanASnapshotAndReturnRangesInKeyOrder() {
        List.of("c", "a", "e", "b", "d").forEach(k -> store.put(key(k), bytes(k)));

        final List<String> range = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.range(key("b"), key("d"))) {
            assertThat(it.peekNextKey()).isEqualTo(key("b"));
            it.forEachRemaining(kv -> range.add(new String(kv.key.get(), StandardCharsets.UTF_8)));
        }
        assertThat(range).containsExactly("b", "c", "d");

        final List<KeyValue<Bytes, byte[]>> all = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            store.put(key("f"), bytes("f"));
            store.delete(key("a"));
            it.forEachRemaining(all::add);
        }
        assertThat(all).as("a scan sees the store as it was when it began").hasSize(5);
    }

    private static Bytes key(final String k) {
        return Bytes.wrap(bytes(k));
    }

    private static byte[] bytes(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Just enough of a store context to capture what the store registers. */
    private record RegisteringContext(AtomicReference<StateRestoreCallback> restore) implements StateStoreContext {
        @Override
        public void register(final StateStore store, final StateRestoreCallback callback) {
            restore.set(callback);
        }

        @Override
        public void register(final StateStore store, final StateRestoreCallback callback, final CommitCallback commit) {
            restore.set(callback);
        }

        @Override
        public String applicationId() {
            return "test";
        }

        @Override
        public TaskId taskId() {
            return new TaskId(0, 0);
        }

        @Override
        public Optional<RecordMetadata> recordMetadata() {
            return Optional.empty();
        }

        @Override
        public Serde<?> keySerde() {
            return null;
        }

        @Override
        public Serde<?> valueSerde() {
            return null;
        }

        @Override
        public File stateDir() {
            return null;
        }

        @Override
        public StreamsMetrics metrics() {
            return null;
        }

        @Override
        public Map<String, Object> appConfigs() {
            return Map.of();
        }

        @Override
        public Map<String, Object> appConfigsWithPrefix(final String prefix) {
            return Map.of();
        }
    }
}
