package aiops.app.eval;

import aiops.avro.Incident;
import aiops.avro.IncidentAlert;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Matches expected incidents to formed ones: an expected incident is matched by the formed incident that shares the
 * most of its signals (alerts on its services, first seen within its time range widened by {@link #SLACK}); each
 * formed incident matches at most one expected incident. Pairs are taken greedily, largest overlap first.
 */
public final class IncidentMatcher {

    /** Alerts often fire a little before the fault's recorded start, and repeat after its end. */
    static final Duration SLACK = Duration.ofMinutes(5);

    private IncidentMatcher() {
    }

    /** @return expected id -> formed incident id, for the matched ones */
    public static Map<String, String> match(final List<Truth.Expected> expected, final List<Incident> formed) {
        record Pair(Truth.Expected expected, Incident formed, int shared) {
        }
        final List<Pair> pairs = new ArrayList<>();
        for (final Truth.Expected e : expected) {
            for (final Incident f : formed) {
                final int shared = shared(e, f);
                if (shared > 0) {
                    pairs.add(new Pair(e, f, shared));
                }
            }
        }
        pairs.sort(Comparator.comparingInt(Pair::shared).reversed()
                .thenComparing(p -> p.formed().getIncidentId()));
        final Map<String, String> matched = new LinkedHashMap<>();
        final Set<String> used = new HashSet<>();
        for (final Pair p : pairs) {
            if (!matched.containsKey(p.expected().id()) && used.add(p.formed().getIncidentId())) {
                matched.put(p.expected().id(), p.formed().getIncidentId());
            }
        }
        return matched;
    }

    static int shared(final Truth.Expected e, final Incident f) {
        int n = 0;
        for (final IncidentAlert a : f.getAlerts()) {
            if (e.services().contains(a.getService())
                    && !a.getFirstSeen().isBefore(e.start().minus(SLACK))
                    && !a.getFirstSeen().isAfter(e.end().plus(SLACK))) {
                n += a.getCount();
            }
        }
        return n;
    }
}
