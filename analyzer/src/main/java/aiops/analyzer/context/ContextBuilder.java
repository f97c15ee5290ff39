package aiops.analyzer.context;

import aiops.avro.Anomaly;
import aiops.avro.Evidence;
import aiops.avro.Incident;
import aiops.avro.IncidentAlert;
import aiops.avro.ServiceEntry;
import aiops.common.redact.Redactor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns an incident into the compact, redacted evidence list analysts work from: one line per alert fingerprint and
 * anomaly (never the raw notifications), the dependency subgraph, runbooks and similar past incidents.
 */
public final class ContextBuilder {

    /** Most anomalies kept per service, largest first; the rest are summarised by count. */
    static final int ANOMALIES_PER_SERVICE = 5;

    private ContextBuilder() {
    }

    public static IncidentContext build(final Incident incident, final CatalogGraph catalog,
                                        final List<SimilarIncident> similar) {
        final Redactor.Scrubber scrubber = new Redactor.Scrubber();
        final List<Evidence> evidence = new ArrayList<>();
        final List<IncidentAlert> alerts = new ArrayList<>(incident.getAlerts());
        alerts.sort(Comparator.comparing(IncidentAlert::getFirstSeen).thenComparing(IncidentAlert::getFingerprint));
        for (final IncidentAlert a : alerts) {
            evidence.add(evidence("alert:" + a.getFingerprint(), "alert", a.getService(), scrubber.scrub(String.format(
                    Locale.ROOT, "alert %s %s %s, %d notifications, from %s for %s", a.getName(), a.getSeverity(),
                    a.getStatus(), a.getCount(), offset(incident, a.getFirstSeen()),
                    span(a.getFirstSeen(), a.getLastSeen()))), a.getFirstSeen()));
        }
        final Map<String, List<Anomaly>> anomalies = new TreeMap<>();
        incident.getAnomalies().forEach(a -> anomalies.computeIfAbsent(a.getService(), s -> new ArrayList<>()).add(a));
        for (final List<Anomaly> perService : anomalies.values()) {
            perService.sort(Comparator.comparingDouble((Anomaly a) -> -a.getScore()).thenComparing(Anomaly::getAnomalyId));
            for (final Anomaly a : perService.subList(0, Math.min(ANOMALIES_PER_SERVICE, perService.size()))) {
                final String kind = a.getKind().contains("template") || a.getKind().startsWith("log")
                        ? "log_template" : "metric_anomaly";
                evidence.add(evidence("anomaly:" + a.getAnomalyId(), kind, a.getService(), scrubber.scrub(String.format(
                        Locale.ROOT, "%s at %s: %s", a.getKind(), offset(incident, a.getDetectedAt()), a.getSummary())),
                        a.getDetectedAt()));
            }
        }
        final Set<String> services = new LinkedHashSet<>(incident.getServices());
        final Set<String> targets = new LinkedHashSet<>();
        for (final String service : services) {
            final ServiceEntry entry = catalog.entry(service).orElse(null);
            if (entry == null) {
                continue;
            }
            final List<String> calls = entry.getDependsOn().stream().filter(services::contains).toList();
            final List<String> calledBy = catalog.callers(service).stream().filter(services::contains).toList();
            evidence.add(evidence("topology:" + service, "topology", service, String.format(Locale.ROOT,
                    "%s (tier %d, owner %s) calls %s; called by %s", service, entry.getTier(), entry.getOwner(),
                    calls.isEmpty() ? "no other service in this incident" : String.join(", ", calls),
                    calledBy.isEmpty() ? "no other service in this incident" : String.join(", ", calledBy)), null));
            // A runbook link alone tells a model nothing; its excerpt (catalogue label runbook_excerpt) does.
            final String excerpt = entry.getLabels().get("runbook_excerpt");
            if (excerpt != null && !excerpt.isBlank()) {
                evidence.add(evidence("runbook:" + service, "runbook", service, scrubber.scrub(excerpt.strip()), null));
            }
            if (entry.getKubernetes() != null) {
                targets.add(service);
            }
        }
        for (final SimilarIncident s : similar) {
            evidence.add(evidence("similar:" + s.incidentId(), "similar_incident", s.rootService(), scrubber.scrub(
                    String.format(Locale.ROOT, "similar past incident (similarity %.2f): root cause %s %s; %s",
                            s.score(), s.rootService(), s.fault(), s.summary())), null));
        }
        return new IncidentContext(incident, catalog, evidence, similar, targets, scrubber.redactions());
    }

    /** Time since the incident opened, e.g. +2m10s: onset order at a glance, without absolute dates. */
    static String offset(final Incident incident, final Instant at) {
        final long s = java.time.Duration.between(incident.getOpenedAt(), at).getSeconds();
        return (s < 0 ? "-" : "+") + span(Math.abs(s));
    }

    static String span(final Instant from, final Instant to) {
        return span(Math.max(0, java.time.Duration.between(from, to).getSeconds()));
    }

    private static String span(final long seconds) {
        return seconds >= 60 ? (seconds / 60) + "m" + (seconds % 60 == 0 ? "" : (seconds % 60) + "s") : seconds + "s";
    }

    private static Evidence evidence(final String id, final String kind, final String service, final String summary,
                                     final Instant at) {
        return Evidence.newBuilder().setId(id).setKind(kind).setService(service).setSummary(summary).setAt(at).build();
    }
}
