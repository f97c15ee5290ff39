package aiops.analyzer.worker;

import aiops.avro.Incident;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Decides when an incident version is ready for analysis: once it has been stable for the debounce time, at once when
 * its severity escalated past what was last analysed, and at the latest after {@code maxDelay} for an incident that
 * keeps changing. Versions whose signature matches the last analysis are dropped. Remembers the offset of every
 * waiting version so the consumer never commits past an incident that has not been analysed yet.
 */
final class Debouncer {

    /** The newest unanalysed version of one incident and where it came from. */
    record Pending(Incident incident, String signature, TopicPartition partition, long offset, long firstNanos,
                   long lastNanos, boolean urgent) {
    }

    /** The version and signature last analysed for an incident. */
    record Analysed(int version, String signature) {
    }

    private final long debounceNanos;
    private final long maxDelayNanos;
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final Map<String, Analysed> analysed = new HashMap<>();

    Debouncer(final Duration debounce, final Duration maxDelay) {
        this.debounceNanos = debounce.toNanos();
        this.maxDelayNanos = Math.max(maxDelay.toNanos(), debounceNanos);
    }

    void restore(final String incidentId, final int version, final String signature) {
        analysed.merge(incidentId, new Analysed(version, signature), (a, b) -> a.version() >= b.version() ? a : b);
    }

    /** Takes a new incident version; returns false when it needs no analysis. */
    boolean offer(final Incident incident, final TopicPartition partition, final long offset, final long nowNanos) {
        final String id = incident.getIncidentId();
        final Analysed last = analysed.get(id);
        final String signature = IncidentSignature.of(incident);
        if (last != null && (incident.getVersion() <= last.version() || signature.equals(last.signature()))) {
            pending.remove(id);
            return false;
        }
        final boolean escalated = last != null && IncidentSignature.rank(incident.getSeverity())
                < IncidentSignature.rank(IncidentSignature.severityOf(last.signature()));
        final Pending before = pending.get(id);
        final long first = before == null ? nowNanos : before.firstNanos();
        pending.put(id, new Pending(incident, signature, partition, offset, first, nowNanos,
                escalated || (before != null && before.urgent())));
        return true;
    }

    /** Versions ready now, oldest first, skipping incidents that already have an analysis running. */
    List<Pending> ready(final long nowNanos, final Set<String> running, final int limit) {
        final List<Pending> out = new ArrayList<>();
        pending.values().removeIf(p -> {
            final Analysed last = analysed.get(p.incident().getIncidentId());
            return !running.contains(p.incident().getIncidentId()) && last != null
                    && (p.incident().getVersion() <= last.version() || p.signature().equals(last.signature()));
        });
        for (final Pending p : pending.values()) {
            if (out.size() >= limit) {
                break;
            }
            if (running.contains(p.incident().getIncidentId())) {
                continue;
            }
            if (p.urgent() || nowNanos - p.lastNanos() >= debounceNanos || nowNanos - p.firstNanos() >= maxDelayNanos) {
                out.add(p);
            }
        }
        out.forEach(p -> pending.remove(p.incident().getIncidentId()));
        return out;
    }

    void analysed(final String incidentId, final int version, final String signature) {
        restore(incidentId, version, signature);
    }

    /** The lowest offset still waiting in {@code partition}, if any. */
    OptionalLong lowestOffset(final TopicPartition partition) {
        return pending.values().stream().filter(p -> p.partition().equals(partition)).mapToLong(Pending::offset).min();
    }

    void forget(final Set<TopicPartition> partitions) {
        pending.values().removeIf(p -> partitions.contains(p.partition()));
    }

    int waiting() {
        return pending.size();
    }
}
