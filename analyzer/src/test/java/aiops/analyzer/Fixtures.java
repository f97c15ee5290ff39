package aiops.analyzer;

import aiops.analyzer.context.CatalogGraph;
import aiops.avro.AlertStatus;
import aiops.avro.Anomaly;
import aiops.avro.Incident;
import aiops.avro.IncidentAlert;
import aiops.avro.IncidentState;
import aiops.avro.KubernetesTarget;
import aiops.avro.ServiceEntry;
import aiops.avro.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A small shop: frontend -> checkout -> payments -> payments-db, and incidents over it. */
public final class Fixtures {

    public static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private Fixtures() {
    }

    public static CatalogGraph catalog() {
        final Map<String, ServiceEntry> entries = new LinkedHashMap<>();
        entries.put("frontend", entry("frontend", List.of("checkout"), true));
        entries.put("checkout", entry("checkout", List.of("payments", "cart"), true));
        entries.put("cart", entry("cart", List.of(), true));
        entries.put("payments", entry("payments", List.of("payments-db"), true));
        entries.put("payments-db", entry("payments-db", List.of(), false));
        return new CatalogGraph(entries);
    }

    static ServiceEntry entry(final String name, final List<String> deps, final boolean kubernetes) {
        return ServiceEntry.newBuilder().setName(name).setOwner("team-" + name).setTier(1)
                .setRunbook("https://runbooks.example/" + name).setDependsOn(deps)
                .setKubernetes(kubernetes ? KubernetesTarget.newBuilder().setNamespace("shop").setDeployment(name)
                        .build() : null)
                .setUpdatedAt(T0).build();
    }

    public static IncidentAlert alert(final String fp, final String name, final String service, final Severity severity,
                                      final int minute) {
        return IncidentAlert.newBuilder().setFingerprint(fp).setName(name).setService(service).setSeverity(severity)
                .setStatus(AlertStatus.FIRING).setFirstSeen(T0.plusSeconds(60L * minute))
                .setLastSeen(T0.plusSeconds(60L * minute + 300)).setCount(5).build();
    }

    public static Anomaly anomaly(final String id, final String service, final String summary, final int minute) {
        return Anomaly.newBuilder().setAnomalyId(id).setKind("metric_spike").setService(service)
                .setDetectedAt(T0.plusSeconds(60L * minute)).setScore(6.5).setSummary(summary).build();
    }

    /** Pool exhaustion at payments-db spreading to payments, checkout and frontend. */
    public static Incident cascade(final String id, final int version) {
        final List<IncidentAlert> alerts = new ArrayList<>(List.of(
                alert("fp-fe", "HighErrorRate", "frontend", Severity.WARNING, 3),
                alert("fp-co", "HighLatencyP95", "checkout", Severity.WARNING, 2),
                alert("fp-pay", "HighErrorRate", "payments", Severity.WARNING, 1),
                alert("fp-db", "PostgresConnectionsSaturated", "payments-db", Severity.CRITICAL, 0)));
        return incident(id, version, List.of("frontend", "checkout", "payments", "payments-db"), alerts,
                List.of(anomaly("metric:payments-db/connections_used_ratio@1", "payments-db",
                        "payments-db connections_used_ratio = 0.98 against baseline 0.31 (9.0 sigma)", 0)));
    }

    public static Incident incident(final String id, final int version, final List<String> services,
                                    final List<IncidentAlert> alerts, final List<Anomaly> anomalies) {
        return Incident.newBuilder().setIncidentId(id).setVersion(version).setState(IncidentState.UPDATED)
                .setChangeReason("new_service").setTitle("incident " + id)
                .setSeverity(alerts.stream().map(IncidentAlert::getSeverity).min(Enum::compareTo).orElse(Severity.INFO))
                .setServices(services).setAlerts(alerts).setAnomalies(anomalies).setOpenedAt(T0)
                .setUpdatedAt(T0.plusSeconds(600)).setSignalCount(alerts.size()).build();
    }
}
