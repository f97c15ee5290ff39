package aiops.app.eval;

import static org.assertj.core.api.Assertions.assertThat;

import aiops.avro.AlertStatus;
import aiops.avro.Incident;
import aiops.avro.IncidentAlert;
import aiops.avro.IncidentState;
import aiops.avro.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IncidentMatcherTest {

    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    static {
        aiops.schemas.AvroSerdes.trustGeneratedClasses();
    }

    private static IncidentAlert alert(final String service, final long minute, final int count) {
        return IncidentAlert.newBuilder().setFingerprint(service + minute).setName("a").setService(service)
                .setSeverity(Severity.HIGH).setStatus(AlertStatus.FIRING).setFirstSeen(T.plusSeconds(60 * minute))
                .setLastSeen(T.plusSeconds(60 * minute)).setCount(count).build();
    }

    private static Incident incident(final String id, final IncidentAlert... alerts) {
        return Incident.newBuilder().setIncidentId(id).setVersion(1).setState(IncidentState.OPEN)
                .setChangeReason("opened").setTitle(id).setSeverity(Severity.HIGH)
                .setServices(List.of(alerts).stream().map(IncidentAlert::getService).distinct().toList())
                .setAlerts(List.of(alerts)).setOpenedAt(T).setUpdatedAt(T).build();
    }

    private static Truth.Expected expected(final String id, final String root, final long fromMinute,
                                           final long toMinute, final String... affected) {
        return new Truth.Expected(id, root, "fault", Set.of(affected), T.plusSeconds(60 * fromMinute),
                T.plusSeconds(60 * toMinute));
    }

    @Test
    void shouldMatchEachExpectedIncidentToTheFormedOneSharingMostSignals() {
        final var db = expected("e1", "db", 0, 20, "api");
        final var cache = expected("e2", "cache", 30, 40);
        final Incident big = incident("f-big", alert("db", 1, 10), alert("api", 2, 5));
        final Incident small = incident("f-small", alert("api", 3, 2));
        final Incident other = incident("f-cache", alert("cache", 31, 3));

        assertThat(IncidentMatcher.match(List.of(db, cache), List.of(small, big, other)))
                .containsEntry("e1", "f-big").containsEntry("e2", "f-cache").hasSize(2);
    }

    @Test
    void shouldLetAFormedIncidentMatchOnlyOnceAndIgnoreAlertsOutsideTheTimeRange() {
        final var first = expected("e1", "db", 0, 10);
        final var second = expected("e2", "db", 0, 10);
        final Incident merged = incident("f", alert("db", 1, 4));
        final Incident late = incident("f-late", alert("db", 60, 50));

        assertThat(IncidentMatcher.match(List.of(first, second), List.of(merged, late))).hasSize(1)
                .containsValue("f");
    }
}
