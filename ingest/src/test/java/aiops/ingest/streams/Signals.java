package aiops.ingest.streams;

import aiops.avro.AlertEvent;
import aiops.avro.AlertStatus;
import aiops.avro.KubernetesTarget;
import aiops.avro.ServiceEntry;
import aiops.avro.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Test data: the storm scenario's catalogue and alerts. */
final class Signals {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private Signals() {
    }

    static List<ServiceEntry> catalog() {
        return List.of(
                service("frontend", 1, "checkout", "cart"),
                service("checkout", 1, "payments", "cart"),
                service("payments", 1, "payments-db"),
                service("payments-db", 1),
                service("cart", 2, "cart-redis"),
                service("cart-redis", 2),
                service("reporting", 3));
    }

    static ServiceEntry service(final String name, final int tier, final String... dependsOn) {
        return ServiceEntry.newBuilder().setName(name).setOwner("team-" + name).setTier(tier)
                .setRunbook("https://runbooks.example/" + name).setDependsOn(List.of(dependsOn))
                .setKubernetes(new KubernetesTarget("shop", name, null, null)).setUpdatedAt(T0).build();
    }

    static AlertEvent alert(final String fingerprint, final String service, final Severity severity,
                            final AlertStatus status, final long secondsAfterT0) {
        final Instant at = T0.plusSeconds(secondsAfterT0);
        return AlertEvent.newBuilder().setEventId(fingerprint + "-" + status + "-" + secondsAfterT0)
                .setFingerprint(fingerprint).setSource("generic").setName("Alert " + fingerprint).setService(service)
                .setSeverity(severity).setStatus(status).setStartsAt(at)
                .setEndsAt(status == AlertStatus.RESOLVED ? at : null).setEventTime(at).setReceivedAt(at)
                .setLabels(Map.of("service", service)).build();
    }

    static AlertEvent firing(final String fingerprint, final String service, final long secondsAfterT0) {
        return alert(fingerprint, service, Severity.WARNING, AlertStatus.FIRING, secondsAfterT0);
    }

    static AlertEvent resolved(final String fingerprint, final String service, final long secondsAfterT0) {
        return alert(fingerprint, service, Severity.WARNING, AlertStatus.RESOLVED, secondsAfterT0);
    }
}
