package aiops.analyzer.context;

import aiops.avro.ServiceEntry;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The service catalogue as a directed call graph: an edge a -> b means a calls (depends on) b. */
public final class CatalogGraph {

    private final Map<String, ServiceEntry> entries;

    public CatalogGraph(final Map<String, ServiceEntry> entries) {
        this.entries = Map.copyOf(entries);
    }

    public static CatalogGraph empty() {
        return new CatalogGraph(Map.of());
    }

    public Optional<ServiceEntry> entry(final String service) {
        return Optional.ofNullable(entries.get(service));
    }

    public List<String> dependencies(final String service) {
        return entry(service).map(ServiceEntry::getDependsOn).orElse(List.of());
    }

    public Set<String> callers(final String service) {
        final Set<String> out = new TreeSet<>();
        entries.values().forEach(e -> {
            if (e.getDependsOn().contains(service)) {
                out.add(e.getName());
            }
        });
        return out;
    }

    /** True when {@code from} calls {@code to}, directly or through at most {@code maxHops} edges. */
    public boolean reaches(final String from, final String to, final int maxHops) {
        final Deque<String> frontier = new ArrayDeque<>(List.of(from));
        final Set<String> seen = new HashSet<>(List.of(from));
        for (int hop = 0; hop < maxHops && !frontier.isEmpty(); hop++) {
            final int size = frontier.size();
            for (int i = 0; i < size; i++) {
                for (final String next : dependencies(frontier.poll())) {
                    if (next.equals(to)) {
                        return true;
                    }
                    if (seen.add(next)) {
                        frontier.add(next);
                    }
                }
            }
        }
        return false;
    }

    /** How many of {@code others} reach {@code service} through calls: how much of the incident depends on it. */
    public int dependants(final String service, final Collection<String> others, final int maxHops) {
        return (int) others.stream().filter(o -> !o.equals(service) && reaches(o, service, maxHops)).count();
    }
}
