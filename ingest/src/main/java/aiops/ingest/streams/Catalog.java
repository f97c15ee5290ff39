package aiops.ingest.streams;

import aiops.avro.ServiceEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * The service catalogue as the topology sees it (the global store over {@code aiops.catalog}), and the undirected
 * dependency graph it implies.
 */
final class Catalog {

    static final String STORE = "aiops-catalog-store";
    /** How long a processor may use the catalogue it read before reading it again. */
    static final long REFRESH_MS = 5_000;

    private final Map<String, ServiceEntry> entries;
    private final Map<String, Set<String>> neighbours;

    private Catalog(final Map<String, ServiceEntry> entries) {
        this.entries = entries;
        this.neighbours = new HashMap<>();
        for (final ServiceEntry e : entries.values()) {
            for (final String dependency : e.getDependsOn()) {
                neighbours.computeIfAbsent(e.getName(), k -> new HashSet<>()).add(dependency);
                neighbours.computeIfAbsent(dependency, k -> new HashSet<>()).add(e.getName());
            }
        }
    }

    static Catalog of(final Map<String, ServiceEntry> entries) {
        return new Catalog(Map.copyOf(entries));
    }

    static Catalog read(final ReadOnlyKeyValueStore<String, ValueAndTimestamp<ServiceEntry>> store) {
        final Map<String, ServiceEntry> entries = new HashMap<>();
        try (KeyValueIterator<String, ValueAndTimestamp<ServiceEntry>> it = store.all()) {
            while (it.hasNext()) {
                final KeyValue<String, ValueAndTimestamp<ServiceEntry>> kv = it.next();
                final ServiceEntry entry = ValueAndTimestamp.getValueOrNull(kv.value);
                if (entry != null) {
                    entries.put(kv.key, entry);
                }
            }
        }
        return new Catalog(entries);
    }

    Optional<ServiceEntry> get(final String service) {
        return Optional.ofNullable(entries.get(service));
    }

    /** Hops between two services over dependency edges in either direction, or -1 when further than {@code max}. */
    int distance(final String from, final String to, final int max) {
        if (from.equals(to)) {
            return 0;
        }
        final Deque<String> frontier = new ArrayDeque<>(List.of(from));
        final Set<String> seen = new HashSet<>(List.of(from));
        for (int hops = 1; hops <= max && !frontier.isEmpty(); hops++) {
            final List<String> next = new ArrayList<>();
            while (!frontier.isEmpty()) {
                for (final String n : neighbours.getOrDefault(frontier.poll(), Set.of())) {
                    if (n.equals(to)) {
                        return hops;
                    }
                    if (seen.add(n)) {
                        next.add(n);
                    }
                }
            }
            frontier.addAll(next);
        }
        return -1;
    }

    /**
     * The catalogue of a processor's global store, re-read at most every {@link #REFRESH_MS}: it changes rarely, and
     * reading it, whole or one entry per signal, decodes Avro each time.
     */
    static final class Cached {
        private final ReadOnlyKeyValueStore<String, ValueAndTimestamp<ServiceEntry>> store;
        private Catalog catalog;
        private long readAt;

        Cached(final ReadOnlyKeyValueStore<String, ValueAndTimestamp<ServiceEntry>> store) {
            this.store = store;
        }

        Catalog at(final long now) {
            if (catalog == null || now - readAt > REFRESH_MS) {
                catalog = read(store);
                readAt = now;
            }
            return catalog;
        }
    }
}
