package aiops.ingest.http;

import static aiops.ingest.http.EdgeClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import aiops.avro.AlertEvent;
import aiops.avro.LogRecord;
import aiops.common.auth.HmacVerifier;
import aiops.common.auth.Role;
import aiops.embedded.EmbeddedStack;
import aiops.embedded.junit.EmbeddedStackExtension;
import aiops.schemas.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("integration")
@Timeout(120)
@ExtendWith(EmbeddedStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestEdgeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GRAFANA_SECRET = "grafana-signing-secret";
    private EdgeFixture edge;
    private EmbeddedStack stack;

    @BeforeAll
    void start(final EmbeddedStack stack) throws Exception {
        this.stack = stack;
        edge = new EdgeFixture(stack.kafkaSettings(), stack.postgres().jdbcUrl(), Map.of(
                "AIOPS_WEBHOOK_HMAC_SECRETS", "grafana=" + GRAFANA_SECRET,
                "AIOPS_HTTP_MAX_BODY_BYTES", "65536",
                "AIOPS_CORS_ORIGINS", "https://ops.example"));
    }

    @AfterAll
    void stop() {
        edge.close();
    }

    private List<String> ids(final HttpResponse<String> response) throws Exception {
        final List<String> ids = new ArrayList<>();
        JSON.readTree(response.body()).path("ids").forEach(n -> ids.add(n.asText()));
        return ids;
    }

    @Test
    void shouldAcceptEveryDocumentedPayloadAndWriteItsRecordsBeforeAnswering() throws Exception {
        final List<String> alertIds = new ArrayList<>();
        for (final String[] c : new String[][] {
                {"/api/v1/webhooks/alertmanager", "alertmanager.json", "2"},
                {"/api/v1/webhooks/pagerduty", "pagerduty-trigger.json", "1"},
                {"/api/v1/webhooks/datadog", "datadog.json", "1"},
                {"/api/v1/alerts", "generic.json", "1"}}) {
            final HttpResponse<String> r = edge.client.post(c[0], EdgeFixture.payload(c[1]), "Authorization", bearer(edge.user));
            assertThat(r.statusCode()).as(c[0] + " " + r.body()).isEqualTo(202);
            assertThat(JSON.readTree(r.body()).path("accepted").asInt()).isEqualTo(Integer.parseInt(c[2]));
            alertIds.addAll(ids(r));
        }
        final HttpResponse<String> logs = edge.client.post("/api/v1/logs", EdgeFixture.payload("logs.json"),
                "X-API-Key", edge.user);
        assertThat(logs.statusCode()).isEqualTo(202);
        final HttpResponse<String> metrics = edge.client.post("/api/v1/metrics/windows",
                EdgeFixture.payload("metric.json"), "X-API-Key", edge.user);
        assertThat(metrics.statusCode()).isEqualTo(202);
        assertThat(ids(metrics)).containsExactly("payments-db/connections_used_ratio@2026-03-01T10:00:00Z");

        // 202 means Kafka has it: read back without waiting.
        assertThat(RawTopics.readAll(stack.kafkaSettings(), Topics.ALERTS_RAW, AlertEvent::getEventId))
                .containsAll(alertIds);
        assertThat(RawTopics.readAll(stack.kafkaSettings(), Topics.LOGS_RAW, LogRecord::getEventId))
                .containsAll(ids(logs));
    }

    @Test
    void shouldEnforceTheRoleMatrix() throws Exception {
        final String alert = EdgeFixture.payload("generic.json");
        final String[][] cases = {
            // method, path, key, expected
            {"POST", "/api/v1/alerts", null, "401"},
            {"POST", "/api/v1/alerts", "aiops_not-a-key", "401"},
            {"POST", "/api/v1/alerts", edge.readonly, "403"},
            {"POST", "/api/v1/alerts", edge.user, "202"},
            {"POST", "/api/v1/alerts", edge.admin, "202"},
            {"GET", "/metrics", null, "401"},
            {"GET", "/metrics", edge.readonly, "200"},
            {"GET", "/api/v1/keys", edge.readonly, "403"},
            {"GET", "/api/v1/keys", edge.user, "403"},
            {"GET", "/api/v1/keys", edge.admin, "200"},
            {"GET", "/health/ready", null, "200"},
            {"GET", "/health/live", null, "200"},
        };
        for (final String[] c : cases) {
            final String[] headers = c[2] == null ? new String[0] : new String[] {"Authorization", bearer(c[2])};
            final HttpResponse<String> r = "GET".equals(c[0]) ? edge.client.get(c[1], headers)
                    : edge.client.post(c[1], alert, headers);
            assertThat(r.statusCode()).as("%s %s with %s: %s", c[0], c[1], c[2], r.body())
                    .isEqualTo(Integer.parseInt(c[3]));
            if (r.statusCode() >= 400) {
                assertThat(JSON.readTree(r.body()).path("error").path("code").asText()).isNotBlank();
            }
        }
    }

    @Test
    void shouldAcceptTheKeyAsBasicAuthPasswordOrHeaderAndRefuseRevokedAndExpiredKeys() throws Exception {
        final String alert = EdgeFixture.payload("generic.json");
        final String basic = "Basic " + Base64.getEncoder().encodeToString(("alertmanager:" + edge.user)
                .getBytes(StandardCharsets.UTF_8));
        assertThat(edge.client.post("/api/v1/alerts", alert, "Authorization", basic).statusCode()).isEqualTo(202);
        assertThat(edge.client.post("/api/v1/alerts", alert, "X-API-Key", edge.user).statusCode()).isEqualTo(202);

        final var expired = edge.keys.create("expired", Role.USER, null, Instant.now().minusSeconds(1));
        assertThat(edge.client.post("/api/v1/alerts", alert, "X-API-Key", expired.key()).statusCode()).isEqualTo(401);

        final var doomed = edge.keys.create("doomed", Role.USER, null, null);
        assertThat(edge.client.post("/api/v1/alerts", alert, "X-API-Key", doomed.key()).statusCode()).isEqualTo(202);
        final HttpResponse<String> revoke = edge.client.delete("/api/v1/keys/" + doomed.stored().keyId(),
                "Authorization", bearer(edge.admin));
        assertThat(revoke.statusCode()).isEqualTo(204);
        assertThat(edge.client.post("/api/v1/alerts", alert, "X-API-Key", doomed.key()).statusCode()).isEqualTo(401);
    }

    @Test
    void shouldVerifyHmacSignaturesAndRefuseStaleOrReplayedOnes() {
        final String body = EdgeFixture.payload("grafana.json");
        final String path = "/api/v1/webhooks/grafana";
        final String now = Long.toString(Instant.now().getEpochSecond());
        final String good = "sha256=" + HmacVerifier.sign(GRAFANA_SECRET, now, body.getBytes(StandardCharsets.UTF_8));

        assertThat(edge.client.post(path, body, "X-API-Key", edge.user).statusCode()).as("unsigned").isEqualTo(401);
        assertThat(edge.client.post(path, body, "X-API-Key", edge.user, HmacVerifier.TIMESTAMP_HEADER, now,
                HmacVerifier.SIGNATURE_HEADER, "sha256=" + "0".repeat(64)).statusCode()).as("wrong").isEqualTo(401);
        assertThat(edge.client.post(path, body, "X-API-Key", edge.user, HmacVerifier.TIMESTAMP_HEADER, now,
                HmacVerifier.SIGNATURE_HEADER, good).statusCode()).as("good").isEqualTo(202);
        assertThat(edge.client.post(path, body, "X-API-Key", edge.user, HmacVerifier.TIMESTAMP_HEADER, now,
                HmacVerifier.SIGNATURE_HEADER, good).statusCode()).as("replayed").isEqualTo(401);
        final String old = Long.toString(Instant.now().minusSeconds(600).getEpochSecond());
        final String stale = "sha256=" + HmacVerifier.sign(GRAFANA_SECRET, old, body.getBytes(StandardCharsets.UTF_8));
        assertThat(edge.client.post(path, body, "X-API-Key", edge.user, HmacVerifier.TIMESTAMP_HEADER, old,
                HmacVerifier.SIGNATURE_HEADER, stale).statusCode()).as("stale").isEqualTo(401);
        // Sources without a secret need no signature.
        assertThat(edge.client.post("/api/v1/alerts", EdgeFixture.payload("generic.json"), "X-API-Key", edge.user)
                .statusCode()).isEqualTo(202);
    }

    @Test
    void shouldRefuseWrongContentTypesOversizedBodiesAndBadFieldsWithJsonErrors() throws Exception {
        final HttpResponse<String> text = edge.client.post("/api/v1/alerts", EdgeFixture.payload("generic.json"),
                "X-API-Key", edge.user, "Content-Type", "text/plain");
        assertThat(text.statusCode()).isEqualTo(415);

        final EdgeClient.Raw big = edge.client.postHeadersOnly("/api/v1/alerts", 70_009, "X-API-Key", edge.user);
        assertThat(big.status()).isEqualTo(413);
        assertThat(JSON.readTree(big.body()).path("error").path("code").asText()).isEqualTo("payload_too_large");

        final HttpResponse<String> broken = edge.client.post("/api/v1/webhooks/alertmanager", "{\"alerts\":[",
                "X-API-Key", edge.user);
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(broken.body()).path("error").path("code").asText()).isEqualTo("invalid_json");

        final HttpResponse<String> badTime = edge.client.post("/api/v1/webhooks/alertmanager",
                EdgeFixture.payload("alertmanager.json").replace("2026-03-01T10:02:30.000Z", "yesterday"),
                "X-API-Key", edge.user);
        assertThat(badTime.statusCode()).isEqualTo(400);
        final JsonNode error = JSON.readTree(badTime.body()).path("error");
        assertThat(error.path("field").asText()).isEqualTo("alerts[0].startsAt");
        assertThat(badTime.body()).doesNotContain("Exception").doesNotContain("aiops.");
    }

    @Test
    void shouldLimitEachKeyToItsRateWithRetryAfter() throws Exception {
        final String key = edge.keys.create("slow", Role.USER, 2, null).key();
        final String alert = EdgeFixture.payload("generic.json");
        assertThat(edge.client.post("/api/v1/alerts", alert, "X-API-Key", key).statusCode()).isEqualTo(202);
        final HttpResponse<String> second = edge.client.post("/api/v1/alerts", alert, "X-API-Key", key);
        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(second.headers().firstValue("X-RateLimit-Limit")).contains("2");
        assertThat(second.headers().firstValue("X-RateLimit-Remaining")).contains("0");

        final HttpResponse<String> third = edge.client.post("/api/v1/alerts", alert, "X-API-Key", key);
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
        assertThat(JSON.readTree(third.body()).path("error").path("code").asText()).isEqualTo("rate_limited");
        // Another key is not affected.
        assertThat(edge.client.post("/api/v1/alerts", alert, "X-API-Key", edge.user).statusCode()).isEqualTo(202);
    }

    @Test
    void shouldIssueAdminTokensForPasswordsAndRefuseWrongOnes() throws Exception {
        final HttpResponse<String> user = edge.client.post("/api/v1/users",
                "{\"username\":\"ops-lead\",\"password\":\"correct horse battery\"}", "Authorization", bearer(edge.admin));
        assertThat(user.statusCode()).isEqualTo(201);

        final HttpResponse<String> wrong = edge.client.post("/api/v1/auth/token",
                "{\"username\":\"ops-lead\",\"password\":\"wrong horse battery\"}");
        assertThat(wrong.statusCode()).isEqualTo(401);
        final HttpResponse<String> token = edge.client.post("/api/v1/auth/token",
                "{\"username\":\"ops-lead\",\"password\":\"correct horse battery\"}");
        assertThat(token.statusCode()).isEqualTo(200);
        final String jwt = JSON.readTree(token.body()).path("access_token").asText();

        assertThat(edge.client.get("/api/v1/keys", "Authorization", bearer(jwt)).statusCode()).isEqualTo(200);
        final String tampered = jwt.substring(0, jwt.length() - 2) + (jwt.endsWith("A") ? "BB" : "AA");
        assertThat(edge.client.get("/api/v1/keys", "Authorization", bearer(tampered)).statusCode()).isEqualTo(401);
    }

    @Test
    void shouldRefuseAUserWhosePasswordWasGuessedWrongTooOftenEvenWithTheRightOne() throws Exception {
        for (final String name : new String[] {"night-shift", "day-shift"}) {
            assertThat(edge.client.post("/api/v1/users", "{\"username\":\"" + name
                    + "\",\"password\":\"correct horse battery\"}", "Authorization", bearer(edge.admin)).statusCode())
                    .isEqualTo(201);
        }
        for (int i = 0; i < aiops.common.auth.LoginThrottle.FAILURES_PER_USER; i++) {
            assertThat(edge.client.post("/api/v1/auth/token",
                    "{\"username\":\"night-shift\",\"password\":\"guess " + i + "\"}").statusCode()).isEqualTo(401);
        }

        final HttpResponse<String> locked = edge.client.post("/api/v1/auth/token",
                "{\"username\":\"night-shift\",\"password\":\"correct horse battery\"}");
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
        assertThat(JSON.readTree(locked.body()).path("error").path("code").asText()).isEqualTo("rate_limited");
        assertThat(locked.body()).doesNotContain("access_token");
        assertThat(edge.client.post("/api/v1/auth/token",
                "{\"username\":\"day-shift\",\"password\":\"correct horse battery\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldSendSecurityHeadersAndCorsOnlyForConfiguredOrigins() {
        final HttpResponse<String> r = edge.client.get("/health/live", "Origin", "https://ops.example");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(r.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains("https://ops.example");
        final HttpResponse<String> other = edge.client.get("/health/live", "Origin", "https://evil.example");
        assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
}
