package aiops.assistant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import aiops.analyzer.llm.LlmSettings;
import aiops.avro.LlmUsage;
import aiops.avro.RemediationProposal;
import aiops.common.auth.Role;
import aiops.common.http.ApiServer;
import aiops.common.kafka.TopicSnapshot;
import aiops.embedded.EmbeddedStack;
import aiops.embedded.junit.EmbeddedStackExtension;
import aiops.ledger.Ledger;
import aiops.ledger.LedgerSettings;
import aiops.remediator.Remediator;
import aiops.remediator.RemediatorSettings;
import aiops.remediator.policy.RemediationPolicy;
import aiops.schemas.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The MCP server over Streamable HTTP on the real broker, registry and PostgreSQL, driven by the SDK's own client:
 * every tool listed with its schema and called, keys and roles enforced, outputs redacted, and
 * {@code propose_remediation} judged by a running remediator's policy without executing anything.
 */
@Tag("integration")
@Timeout(300)
@ExtendWith(EmbeddedStackExtension.class)
class McpServerIT {

    static final String POLICY = """
            default_mode: dry-run
            limits: {actions_per_service_per_hour: 5, concurrent_actions: 2, distinct_services_per_window: 5}
            rules:
              - name: restarts
                match: {actions: [RESTART_DEPLOYMENT], severities: [critical]}
                mode: auto
              - name: scaling
                match: {actions: [SCALE_DEPLOYMENT]}
                mode: approve
                bounds: {max_replicas_delta: 2, max_replicas: 6}
            """;
    static final ObjectMapper JSON = new ObjectMapper();

    OpsFixture f;

    @BeforeEach
    void setUp(final EmbeddedStack stack) throws Exception {
        f = new OpsFixture(stack);
        f.publish("ERROR pool exhausted token=sk9f8e7d6c5b4a3 while connecting");
        f.produce(Topics.LLM_USAGE, List.of(LlmUsage.newBuilder().setUsageId("use-" + f.run)
                .setOccurredAt(Instant.now()).setIncidentId(f.open).setService(f.payments).setTeam("team-pay")
                .setProvider("openai").setModel("model-" + f.run).setPurpose("analysis").setInputTokens(1200)
                .setOutputTokens(300).setLatencyMs(800).setOutcome("ok").setCostUsd(new BigDecimal("0.0123000000"))
                .build()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldServeEveryToolToTheSdkClientWithRolesRedactionAndPolicyGatedProposals() throws Exception {
        final RemediatorSettings remediation = new RemediatorSettings("asst-rem-" + f.run, "it-" + f.run,
                RemediationPolicy.parse(POLICY, "policy.yaml"), Duration.ofMinutes(30), Duration.ofSeconds(20),
                Set.of(), Map.of(), null, null, 2);
        try (Ledger ledger = Ledger.start(f.kafka, f.db, new LedgerSettings("asst-led-" + f.run, 500, Duration.ofSeconds(30)),
                new SimpleMeterRegistry());
             Remediator remediator = Remediator.start(f.kafka, f.db, remediation, context -> {
                 throw new IllegalStateException("nothing may reach a cluster here");
             }, a -> { });
             AssistantService assistant = AssistantService.start(f.kafka, f.db,
                     AssistantSettings.defaults().withGroupId("asst-" + f.run), LlmSettings.from(
                             aiops.common.config.AiopsConfig.of(Map.of(), new java.util.Properties(), null)),
                     new SimpleMeterRegistry(), "it", true);
             ApiServer api = f.api(assistant)) {
            final String base = "http://127.0.0.1:" + api.port();
            final HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(base + "/mcp")).POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.body()).contains("\"code\":\"unauthorized\"");
            assertThat(anonymous.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            try (McpSyncClient nobody = client(base, "not-a-key")) {
                assertThatThrownBy(nobody::initialize).as("a wrong key cannot even initialize").isNotNull();
            }

            final String reader = f.key("reader", Role.READONLY);
            try (McpSyncClient client = client(base, reader)) {
                client.initialize();
                final Map<String, McpSchema.Tool> tools = client.listTools().tools().stream()
                        .collect(Collectors.toMap(McpSchema.Tool::name, t -> t));
                assertThat(tools.keySet()).containsExactlyInAnyOrder("list_incidents", "get_incident", "get_analysis",
                        "search_similar_incidents", "list_remediations", "get_service", "get_forecast",
                        "ledger_summary", "propose_remediation");
                assertThat((List<Object>) tools.get("get_incident").inputSchema().get("required"))
                        .containsExactly("incident_id");
                assertThat((List<Object>) tools.get("propose_remediation").inputSchema().get("required"))
                        .contains("incident_id", "action_type", "service", "rationale");
                assertThat(tools.get("list_incidents").annotations().readOnlyHint()).isTrue();

                await().atMost(Duration.ofSeconds(60)).until(() -> ok(client, "get_analysis",
                        Map.of("incident_id", f.open)) != null && ok(client, "get_incident", Map.of("incident_id",
                        f.open)).path("version").asInt() == 2 && ok(client, "get_analysis",
                        Map.of("incident_id", f.resolved)) != null);
                final JsonNode listed = ok(client, "list_incidents", Map.of("service", f.checkout));
                assertThat(listed.path("incidents")).extracting(n -> n.path("incident_id").asText())
                        .containsExactly(f.open, f.resolved);
                assertThat(ok(client, "list_incidents", Map.of("service", f.checkout, "state", "open"))
                        .path("incidents")).hasSize(1);
                final JsonNode paged = ok(client, "list_incidents", Map.of("service", f.checkout, "limit", 1));
                assertThat(paged.path("incidents")).hasSize(1);
                final JsonNode second = ok(client, "list_incidents", Map.of("service", f.checkout, "limit", 1,
                        "cursor", paged.path("next_cursor").asText()));
                assertThat(second.path("incidents").get(0).path("incident_id").asText()).isEqualTo(f.resolved);

                final JsonNode incident = ok(client, "get_incident", Map.of("incident_id", f.open));
                assertThat(incident.path("alerts").get(0).path("name").asText()).isEqualTo("CheckoutLatencyHigh");
                assertThat(incident.path("timeline")).extracting(n -> n.path("version").asInt()).containsExactly(1, 2);
                final String anomaly = incident.path("anomalies").get(0).path("summary").asText();
                assertThat(anomaly).contains("pool exhausted").doesNotContain("sk9f8e7d6c5b4a3").contains("REDACTED");

                final JsonNode analysis = ok(client, "get_analysis", Map.of("incident_id", f.open));
                assertThat(analysis.path("hypotheses").get(0).path("fault").asText())
                        .isEqualTo("connection_pool_exhaustion");
                assertThat(analysis.path("hypotheses").get(0).path("evidence").get(0).path("summary").asText())
                        .contains("db_connections_used");

                final JsonNode similar = ok(client, "search_similar_incidents", Map.of("incident_id", f.open));
                assertThat(similar.path("matches").get(0).path("incident_id").asText()).isEqualTo(f.resolved);
                assertThat(similar.path("matches").get(0).path("score").asDouble()).isGreaterThan(0.9);
                assertThat(ok(client, "search_similar_incidents", Map.of("query",
                        "checkout latency from the payments connection pool")).path("matches"))
                        .extracting(n -> n.path("incident_id").asText()).contains(f.resolved);

                final JsonNode service = ok(client, "get_service", Map.of("service", f.checkout));
                assertThat(service.path("owner").asText()).isEqualTo("team-shop");
                assertThat(service.path("depends_on").get(0).asText()).isEqualTo(f.payments);
                assertThat(service.path("runbook_excerpt").asText()).contains("connection pool")
                        .doesNotContain("hunter2-not-for-you");

                final JsonNode forecast = ok(client, "get_forecast", Map.of("service", f.checkout,
                        "metric", "http_requests_per_s", "hours", 12));
                assertThat(forecast.path("points")).hasSize(12);
                assertThat(forecast.path("method").asText()).isEqualTo("seasonal_regression");
                assertThat(ok(client, "get_forecast", Map.of("service", f.checkout)).path("metrics").get(0).asText())
                        .isEqualTo("http_requests_per_s");

                await().atMost(Duration.ofSeconds(60)).until(() -> ok(client, "ledger_summary", Map.of("by", "model"))
                        .path("lines").findValuesAsText("key").contains("model-" + f.run));
                final JsonNode byIncident = ok(client, "ledger_summary", Map.of("by", "incident"));
                assertThat(byIncident.path("lines").findValuesAsText("key")).contains(f.open);

                final McpSchema.CallToolResult refused = call(client, "propose_remediation", proposal("restart_deployment"));
                assertThat(refused.isError()).isTrue();
                assertThat(text(refused)).contains("needs the user role");
                assertThat(error(client, "get_incident", Map.of("incident_id", "inc-nope"))).contains("no incident");
                assertThat(error(client, "list_incidents", Map.of("colour", "red"))).contains("unknown argument");
                assertThat(error(client, "list_incidents", Map.of("cursor", "bogus"))).contains("cursor");

                final McpSchema.ReadResourceResult runbook = client.readResource(
                        new McpSchema.ReadResourceRequest("runbook://" + f.checkout));
                assertThat(((McpSchema.TextResourceContents) runbook.contents().get(0)).text())
                        .contains("team-shop").doesNotContain("hunter2-not-for-you");
            }

            await().atMost(Duration.ofSeconds(60)).until(() -> f.count("SELECT count(*) FROM remediator_incidents"
                    + " WHERE incident_id = '" + f.open + "' AND version = 2") == 1);
            final String user = f.key("user", Role.USER);
            try (McpSyncClient client = client(base, user)) {
                client.initialize();
                final JsonNode restart = ok(client, "propose_remediation", proposal("restart_deployment"));
                assertThat(restart.path("state").asText()).as("an auto rule only queues it for approval")
                        .isEqualTo("pending_approval");
                assertThat(restart.path("reason").asText()).contains("approval");
                final Map<String, Object> tooBig = new HashMap<>(proposal("scale_deployment"));
                tooBig.put("replicas_delta", 50);
                final JsonNode scale = ok(client, "propose_remediation", tooBig);
                assertThat(scale.path("state").asText()).isEqualTo("refused");
                final JsonNode pending = ok(client, "list_remediations", Map.of("incident_id", f.open,
                        "state", "pending_approval"));
                assertThat(pending.path("remediations")).extracting(n -> n.path("action_id").asText())
                        .containsExactly(restart.path("action_id").asText());
            }
            assertThat(TopicSnapshot.values(f.kafka, Topics.PROPOSALS).stream()
                    .filter(p -> p.getIncidentId().equals(f.open)).map(RemediationProposal::getProposedBy).toList())
                    .as("only the user key's proposals reached the remediator").containsOnly("user-" + f.run)
                    .hasSize(2);
            assertThat(f.count("SELECT count(*) FROM remediation_actions WHERE incident_id = '" + f.open
                    + "' AND analysis_id LIKE 'prop-%'")).as("both proposals became judged actions").isEqualTo(2);
            assertThat(f.count("SELECT count(*) FROM remediation_actions WHERE incident_id = '" + f.open
                    + "' AND analysis_id LIKE 'prop-%' AND state IN ('APPLIED', 'APPROVED', 'FAILED')"))
                    .as("no proposal was executed").isZero();
            assertThat(f.count("SELECT count(*) FROM assistant_audit WHERE tool = 'propose_remediation'"
                    + " AND outcome = 'refused' AND principal_name = 'reader-" + f.run + "'")).isEqualTo(1);
            assertThat(f.count("SELECT count(*) FROM assistant_audit WHERE tool = 'propose_remediation'"
                    + " AND outcome = 'ok' AND door = 'mcp' AND principal_name = 'user-" + f.run + "'")).isEqualTo(2);
        }
    }

    Map<String, Object> proposal(final String type) {
        return Map.of("incident_id", f.open, "action_type", type, "service", f.checkout,
                "rationale", "latency follows the pool");
    }

    static McpSyncClient client(final String base, final String key) {
        return McpClient.sync(HttpClientStreamableHttpTransport.builder(base).endpoint("/mcp")
                        .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + key)).build())
                .requestTimeout(Duration.ofSeconds(30)).build();
    }

    static McpSchema.CallToolResult call(final McpSyncClient client, final String tool, final Map<String, Object> args) {
        return client.callTool(new McpSchema.CallToolRequest(tool, args));
    }

    /** The JSON of a successful call, or null when the tool answered an error. */
    static JsonNode ok(final McpSyncClient client, final String tool, final Map<String, Object> args) throws Exception {
        final McpSchema.CallToolResult r = call(client, tool, args);
        return Boolean.TRUE.equals(r.isError()) ? null : JSON.readTree(text(r));
    }

    static String error(final McpSyncClient client, final String tool, final Map<String, Object> args) {
        final McpSchema.CallToolResult r = call(client, tool, args);
        assertThat(r.isError()).as("%s %s is an error", tool, args).isTrue();
        return text(r);
    }

    static String text(final McpSchema.CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }
}
