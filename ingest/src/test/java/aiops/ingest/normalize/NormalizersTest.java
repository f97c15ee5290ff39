package aiops.ingest.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aiops.avro.AlertEvent;
import aiops.avro.AlertStatus;
import aiops.avro.LogLevel;
import aiops.avro.Severity;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NormalizersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-03-01T10:05:00Z");
    private static final SignalContext LIVE = SignalContext.live(NOW);

    private static JsonNode payload(final String name) throws IOException {
        try (InputStream in = NormalizersTest.class.getResourceAsStream("/payloads/" + name)) {
            return JSON.readTree(in);
        }
    }

    @Test
    void shouldTurnEachAlertOfAnAlertmanagerGroupIntoOneEvent() throws IOException {
        final var alerts = SignalKind.ALERTMANAGER.normalize(payload("alertmanager.json"), LIVE).alerts();

        assertThat(alerts).hasSize(2);
        final AlertEvent firing = alerts.get(0);
        assertThat(firing.getFingerprint()).isEqualTo("5f3c0e8a1b2d4c6e");
        assertThat(firing.getService()).isEqualTo("checkout");
        assertThat(firing.getSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(firing.getEndsAt()).as("Go zero time means not ended").isNull();
        assertThat(firing.getEventTime()).isEqualTo(Instant.parse("2026-03-01T10:02:30Z"));
        assertThat(firing.getLabels()).containsEntry("instance", "checkout-7d9f:8080");
        assertThat(firing.getReceivedAt()).isEqualTo(NOW);

        final AlertEvent resolved = alerts.get(1);
        assertThat(resolved.getStatus()).isEqualTo(AlertStatus.RESOLVED);
        assertThat(resolved.getEventTime()).as("a resolution happens when it ended")
                .isEqualTo(Instant.parse("2026-03-01T10:01:00Z"));
    }

    @Test
    void shouldReadGrafanasDocumentedWebhookWithOffsetTimes() throws IOException {
        final var alerts = SignalKind.GRAFANA.normalize(payload("grafana.json"), LIVE).alerts();

        assertThat(alerts).extracting(AlertEvent::getFingerprint).containsExactly("c6eadffa33fcdf37", "bc97ff14869b13e3");
        assertThat(alerts.get(0).getStartsAt()).isEqualTo(Instant.parse("2021-10-12T07:51:03.157Z"));
        assertThat(alerts.get(0).getName()).isEqualTo("High memory usage");
        assertThat(alerts.get(0).getSource()).isEqualTo("grafana");
        assertThat(alerts.get(0).getSummary()).isEqualTo("This alert was triggered for zone us-1");
        assertThat(alerts.get(0).getSeverity()).isEqualTo(Severity.UNKNOWN);
    }

    @Test
    void shouldReadPagerDutysDocumentedEventWithoutKeepingTheRoutingKey() throws IOException {
        final AlertEvent alert = SignalKind.PAGERDUTY.normalize(payload("pagerduty-trigger.json"), LIVE).alerts().get(0);

        assertThat(alert.getService()).isEqualTo("mysql");
        assertThat(alert.getSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(alert.getStartsAt()).isEqualTo(Instant.parse("2015-07-17T08:42:58.315Z"));
        assertThat(alert.getFingerprint()).isEqualTo("samplekeyhere");
        assertThat(alert.getAnnotations()).containsEntry("free space", "1%");
        assertThat(alert.getLabels()).doesNotContainKey("routing_key");
        assertThat(alert.toString()).doesNotContain("\"routing_key\"");
    }

    @Test
    void shouldResolveAPagerDutyAlertByDedupKeyAlone() throws IOException {
        final JsonNode resolve = JSON.readTree("{\"routing_key\":\"r\",\"dedup_key\":\"disk-1\",\"event_action\":\"resolve\"}");

        final AlertEvent alert = SignalKind.PAGERDUTY.normalize(resolve, LIVE).alerts().get(0);

        assertThat(alert.getStatus()).isEqualTo(AlertStatus.RESOLVED);
        assertThat(alert.getFingerprint()).isEqualTo("disk-1");
        assertThat(alert.getEventTime()).isEqualTo(NOW);
    }

    @Test
    void shouldTakeTheServiceFromDatadogTags() throws IOException {
        final AlertEvent alert = SignalKind.DATADOG.normalize(payload("datadog.json"), LIVE).alerts().get(0);

        assertThat(alert.getService()).isEqualTo("payments");
        assertThat(alert.getSeverity()).isEqualTo(Severity.HIGH);
        assertThat(alert.getStartsAt()).isEqualTo(Instant.ofEpochMilli(1772359380000L));
        assertThat(alert.getFingerprint()).isEqualTo("98765");
    }

    @Test
    void shouldHashSortedLabelsWhenNoFingerprintIsGiven() throws IOException {
        final JsonNode a = JSON.readTree("{\"service\":\"cart\",\"name\":\"Down\",\"severity\":\"critical\","
                + "\"status\":\"firing\",\"startsAt\":\"2026-03-01T10:00:00Z\",\"labels\":{\"a\":\"1\",\"b\":\"2\"}}");
        final JsonNode b = JSON.readTree("{\"service\":\"cart\",\"name\":\"Down\",\"severity\":\"critical\","
                + "\"status\":\"resolved\",\"startsAt\":\"2026-03-01T10:00:00Z\",\"labels\":{\"b\":\"2\",\"a\":\"1\"}}");
        final JsonNode other = JSON.readTree("{\"service\":\"cart\",\"name\":\"Down\",\"severity\":\"critical\","
                + "\"status\":\"firing\",\"startsAt\":\"2026-03-01T10:00:00Z\",\"labels\":{\"a\":\"1\",\"b\":\"3\"}}");

        final String fa = SignalKind.GENERIC.normalize(a, LIVE).alerts().get(0).getFingerprint();
        final String fb = SignalKind.GENERIC.normalize(b, LIVE).alerts().get(0).getFingerprint();
        final String fo = SignalKind.GENERIC.normalize(other, LIVE).alerts().get(0).getFingerprint();

        assertThat(fa).hasSize(16).isEqualTo(fb).isNotEqualTo(fo);
    }

    @Test
    void shouldNameTheMissingFieldOfAGenericAlert() throws IOException {
        final JsonNode noName = JSON.readTree("{\"service\":\"cart\",\"status\":\"firing\",\"startsAt\":\"2026-03-01T10:00:00Z\"}");
        final JsonNode badStatus = JSON.readTree("{\"service\":\"cart\",\"name\":\"x\",\"status\":\"maybe\","
                + "\"startsAt\":\"2026-03-01T10:00:00Z\"}");

        assertThatThrownBy(() -> SignalKind.GENERIC.normalize(noName, LIVE))
                .isInstanceOfSatisfying(InvalidSignalException.class, e -> assertThat(e.field()).isEqualTo("name"));
        assertThatThrownBy(() -> SignalKind.GENERIC.normalize(badStatus, LIVE))
                .isInstanceOfSatisfying(InvalidSignalException.class, e -> assertThat(e.field()).isEqualTo("status"));
    }

    @Test
    void shouldReadLogArraysAndMapLevels() throws IOException {
        final JsonNode logs = JSON.readTree("[{\"ts\":\"2026-03-01T10:00:01Z\",\"service\":\"payments\","
                + "\"level\":\"error\",\"message\":\"pool exhausted\",\"attributes\":{\"pod\":\"p-1\"}},"
                + "{\"ts\":\"2026-03-01T10:00:02Z\",\"service\":\"payments\",\"level\":\"warning\",\"message\":\"slow\"}]");

        final var records = SignalKind.LOG.normalize(logs, LIVE).logs();

        assertThat(records).extracting(r -> r.getLevel()).containsExactly(LogLevel.ERROR, LogLevel.WARN);
        assertThat(records.get(0).getAttributes()).isEqualTo(Map.of("pod", "p-1"));
    }

    @Test
    void shouldRefuseInconsistentMetricWindowsNamingTheField() throws IOException {
        final JsonNode bad = JSON.readTree("[{\"service\":\"db\",\"metric\":\"cpu\",\"start\":\"2026-03-01T10:00:00Z\","
                + "\"end\":\"2026-03-01T10:01:00Z\",\"count\":60,\"min\":0.2,\"max\":0.9,\"mean\":0.5},"
                + "{\"service\":\"db\",\"metric\":\"cpu\",\"start\":\"2026-03-01T10:01:00Z\","
                + "\"end\":\"2026-03-01T10:02:00Z\",\"count\":60,\"min\":0.9,\"max\":0.2,\"mean\":0.5}]");

        assertThatThrownBy(() -> SignalKind.METRIC.normalize(bad, LIVE))
                .isInstanceOfSatisfying(InvalidSignalException.class, e -> assertThat(e.field()).isEqualTo("[1].min"));
    }

    @Test
    void shouldCarryTheReplayRunAndTraceIntoEveryRecord() throws IOException {
        final SignalContext replay = new SignalContext(NOW, "run-7", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

        final var alerts = SignalKind.ALERTMANAGER.normalize(payload("alertmanager.json"), replay).alerts();

        assertThat(alerts).allSatisfy(a -> {
            assertThat(a.getReplayRunId()).isEqualTo("run-7");
            assertThat(a.getTraceParent()).startsWith("00-4bf92f");
        });
    }

    @Test
    void shouldRefuseEventTimesFarInTheFuture() throws IOException {
        final JsonNode future = JSON.readTree("{\"service\":\"cart\",\"name\":\"Down\",\"status\":\"firing\","
                + "\"startsAt\":\"2999-01-01T00:00:00Z\"}");
        final JsonNode skewed = JSON.readTree("{\"service\":\"cart\",\"name\":\"Down\",\"status\":\"firing\","
                + "\"startsAt\":\"" + NOW.plusSeconds(600) + "\"}");

        assertThatThrownBy(() -> SignalKind.GENERIC.normalize(future, LIVE))
                .isInstanceOfSatisfying(InvalidSignalException.class, e -> assertThat(e.field()).isEqualTo("startsAt"));
        assertThat(SignalKind.GENERIC.normalize(skewed, LIVE).alerts()).as("ten minutes of clock skew is fine").hasSize(1);
    }

    @Test
    void shouldRefuseAnUnknownKind() {
        assertThatThrownBy(() -> SignalKind.parse("nagios"))
                .isInstanceOf(InvalidSignalException.class).hasMessageContaining("alertmanager");
    }
}
