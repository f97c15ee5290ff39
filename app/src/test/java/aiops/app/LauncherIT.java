package aiops.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aiops.embedded.EmbeddedKafka;
import aiops.embedded.llm.FakeLlmServer;
import aiops.schemas.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged {@code aiops.jar} as a user would, in its own process. */
@Tag("integration")
class LauncherIT {

    private static final Path JAR = Path.of(System.getProperty("aiops.jar", "target/aiops.jar"));
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every child started by a test; whatever is still alive afterwards (a failed wait) is killed with its children. */
    private static final List<Process> LAUNCHED = new java.util.concurrent.CopyOnWriteArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void killLeftovers() {
        for (final Process p : LAUNCHED) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        LAUNCHED.clear();
    }

    private static Process launch(final Path home, final Map<String, String> env, final Path stdout,
                                  final String... args) throws IOException {
        return launch(home, env, stdout, home.resolve("stderr.log"), args);
    }

    private static Process launch(final Path home, final Map<String, String> env, final Path stdout, final Path stderr,
                                  final String... args) throws IOException {
        final List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m",
                "-Dmaven.repo.local=" + System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository"),
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().put("AIOPS_HOME", home.toString());
        builder.environment().putAll(env);
        final Process process = builder.start();
        LAUNCHED.add(process);
        return process;
    }

    @Test
    @Timeout(240)
    void demoShouldEndWithAJsonSummaryOfCountsReadBack(@TempDir final Path home) throws Exception {
        final Path out = home.resolve("stdout.log");
        final Process demo = launch(home, Map.of(), out, "demo");

        assertThat(demo.waitFor(200, TimeUnit.SECONDS)).as("demo finished").isTrue();
        final List<String> lines = Files.readAllLines(out);
        assertThat(demo.exitValue()).as(String.join("\n", lines)).isZero();
        final JsonNode summary = JSON.readTree(lines.get(lines.size() - 1));
        assertThat(summary.get("ok").asBoolean()).isTrue();
        assertThat(summary.get("topics").asInt()).isGreaterThanOrEqualTo(11);
        assertThat(summary.get("postgres").asText()).startsWith("jdbc:postgresql://127.0.0.1:");
        assertThat(summary.get("kafka").asText()).matches("127\\.0\\.0\\.1:\\d+");
        // The storm's alert records, as the normalisers split them: one per alert in each group.
        assertThat(summary.get("alerts_in").asLong()).isEqualTo(83);
        assertThat(summary.get("signals").asLong()).isGreaterThan(summary.get("alerts_in").asLong());
        // The storm is one cascade plus one unrelated alert: correlation must fold it into very few incidents.
        assertThat(summary.get("incidents").asLong()).isBetween(1L, summary.get("alerts_in").asLong() / 5);
        assertThat(String.join("\n", lines)).contains("services: payments-db -> payments -> checkout");
        // Every incident analysed; with no LLM configured the offline analyst names the pool-exhausted database.
        assertThat(summary.get("analyses").asLong()).isEqualTo(summary.get("incidents").asLong());
        assertThat(summary.get("llm_calls").asLong()).isZero();
        assertThat(String.join("\n", lines)).contains("analysis (offline").containsPattern(
                "1\\. payments-db +connection_pool_exhaustion");
        for (final String key : List.of("incidents", "analyses", "llm_calls", "ledger_rows", "remediations",
                "notifications")) {
            assertThat(summary.has(key)).as(key).isTrue();
        }
        // The storm replayed on the same pipeline forms the same incidents, under their own ids, and acts on nothing.
        assertThat(summary.get("replay_incidents").asLong()).isEqualTo(summary.get("incidents").asLong());
        assertThat(summary.get("replay_same_as_live").asBoolean()).isTrue();
        assertThat(String.join("\n", lines)).contains("replayed the storm as run demo-replay")
                .contains("none executed (replays are dry-run)");
        // Every proposed action is planned and judged (dry-run by default), and nothing touched a cluster.
        assertThat(summary.get("remediations").asLong()).isGreaterThanOrEqualTo(2 * summary.get("analyses").asLong());
        assertThat(String.join("\n", lines)).containsPattern("act-[0-9a-f]{24} +dry_run +scale deployment")
                .doesNotContain(" applied ");
        // At least the opening and the analysis of each incident were announced (to the log channel).
        assertThat(summary.get("notifications").asLong()).isGreaterThanOrEqualTo(2 * summary.get("incidents").asLong());
        assertThat(String.join("\n", lines)).contains("incident_opened -> log: sent", "analysis_ready -> log: sent");
        // Five weeks of metric history as a run: every series forecast, the filling disk predicted, targets dry-run.
        assertThat(summary.get("forecast_series").asInt()).isEqualTo(16);
        assertThat(summary.get("forecasts_beating_baseline").asInt()).isGreaterThanOrEqualTo(12);
        assertThat(summary.get("predicted_exhaustion").asInt()).isGreaterThanOrEqualTo(1);
        // One judged target per service the forecasts gave replicas, however the history was batched on the way.
        assertThat(summary.get("capacity_proposals").asLong()).isPositive()
                .isEqualTo(lines.stream().filter(l -> l.contains(" sMAPE ") && l.contains("  replicas ")).count())
                .isEqualTo(lines.stream().filter(l -> l.contains("replay run demo-capacity is dry-run only")).count());
        assertThat(String.join("\n", lines)).contains("PredictedExhaustion: orders-db disk_used_ratio")
                .containsPattern("act-[0-9a-f]{24} dry_run: replay run demo-capacity is dry-run only");
        // The assistant answers from the tools without a model, citing the live incidents it found.
        assertThat(summary.get("assistant_answered_by").asText()).isEqualTo("retrieval");
        assertThat(summary.get("assistant_citations").asInt()).isPositive();
        assertThat(String.join("\n", lines)).contains("assistant, asked").containsPattern("\\[incident:inc-[0-9a-f]+]");
    }

    @Test
    @Timeout(300)
    void runShouldServeHealthAndKafkaClientMetricsThenStopOnSigterm(@TempDir final Path home) throws Exception {
        final Path out = home.resolve("stdout.log");
        final Process run = launch(home, Map.of("AIOPS_HTTP_PORT", "0",
                "AIOPS_BOOTSTRAP_ADMIN_KEY", "bootstrap-admin-key-0123456789"), out, "run");
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Files.readString(out).contains("ready http://"));
            final String base = Files.readString(out).lines().filter(l -> l.startsWith("ready ")).findFirst()
                    .orElseThrow().substring("ready ".length()).trim();
            final HttpClient http = HttpClient.newHttpClient();

            final HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/health/ready"))
                    .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.headers().firstValue("traceparent")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-").doesNotContain("00f067aa0ba902b7"));
            assertThat(JSON.readTree(ready.body()).get("checks").toString())
                    .contains("\"kafka\":true", "\"postgres\":true", "\"registry\":true", "\"analyzer\":true",
                            "\"ledger\":true");

            final HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                    .header("Authorization", "Bearer bootstrap-admin-key-0123456789").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("kafka_producer_").contains("jvm_memory_used_bytes");

            final String alertmanager = new String(LauncherIT.class.getResourceAsStream("/alertmanager-webhook.json")
                    .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            final HttpRequest.Builder webhook = HttpRequest.newBuilder(URI.create(base + "/api/v1/webhooks/alertmanager"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(alertmanager));
            assertThat(http.send(webhook.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .as("without a key").isEqualTo(401);
            final HttpResponse<String> accepted = http.send(webhook.header("Authorization",
                    "Bearer bootstrap-admin-key-0123456789").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            assertThat(JSON.readTree(accepted.body()).get("accepted").asInt()).isEqualTo(2);

            final HttpResponse<String> budget = http.send(HttpRequest.newBuilder(URI.create(base
                    + "/api/v1/budgets/global/day")).header("Authorization", "Bearer bootstrap-admin-key-0123456789")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"limit_usd\": \"25.00\", \"soft_ratio\": 0.8}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(budget.statusCode()).as(budget.body()).isEqualTo(200);
            final HttpResponse<String> budgets = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/budgets"))
                    .header("Authorization", "Bearer bootstrap-admin-key-0123456789").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(JSON.readTree(budgets.body()).get("budgets").toString()).contains("\"scope\":\"global\"")
                    .contains("\"limit_usd\":\"25.0000000000\"");
            final HttpResponse<String> summary = http.send(HttpRequest.newBuilder(URI.create(base
                    + "/api/v1/ledger/summary?since=7d&by=team")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(summary.statusCode()).as("the ledger API needs a key").isEqualTo(401);

            // A replay on the same home while it runs goes into this pipeline instead of starting a second one.
            final Path replayOut = home.resolve("replay.log");
            final Process replay = launch(home, Map.of(), replayOut, home.resolve("replay-err.log"), "replay",
                    Path.of("..", "scenarios", "storm").toString(), "--run-id", "into-run", "--json");
            assertThat(replay.waitFor(150, TimeUnit.SECONDS)).isTrue();
            assertThat(replay.exitValue()).as(Files.readString(home.resolve("replay-err.log"))).isZero();
            assertThat(Files.readString(home.resolve("replay-err.log"))).contains("using the pipeline running on");
            final List<String> replayed = Files.readAllLines(replayOut);
            final JsonNode replaySummary = JSON.readTree(replayed.get(replayed.size() - 1));
            assertThat(replaySummary.get("incidents").asInt()).isEqualTo(2);
            assertThat(replaySummary.get("analyses").asInt()).isEqualTo(2);

            final HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(base + "/nope"))
                    .header("Authorization", "Bearer bootstrap-admin-key-0123456789").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).contains("not_found").doesNotContain("Exception");
        } finally {
            run.destroy();
            assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        }
        assertThat(Files.readString(home.resolve("stderr.log"))).doesNotContain("bootstrap-admin-key-0123456789");
    }

    @Test
    @Timeout(60)
    void aBadConfigurationValueShouldExitTwoNamingTheKey(@TempDir final Path home) throws Exception {
        final Path out = home.resolve("stdout.log");
        final Process run = launch(home, Map.of("AIOPS_HTTP_PORT", "eighty"), out, "run");

        assertThat(run.waitFor(50, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).isEqualTo(2);
        assertThat(Files.readString(home.resolve("stderr.log"))).contains("AIOPS_HTTP_PORT").contains("eighty");
    }

    @Test
    @Timeout(120)
    void topicsCreateShouldCreateTheCatalogueOnAnExternalBroker(@TempDir final Path home) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(home.resolve("external-kafka"), 0)) {
            final Path out = home.resolve("stdout.log");
            final Map<String, String> env = Map.of("AIOPS_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "AIOPS_TOPIC_REPLICATION_FACTOR", "1");

            final Process first = launch(home, env, out, "topics", "create");
            assertThat(first.waitFor(90, TimeUnit.SECONDS)).isTrue();
            assertThat(first.exitValue()).as(Files.readString(home.resolve("stderr.log"))).isZero();
            assertThat(Files.readString(out)).contains(Topics.ALL.size() + " topics (" + Topics.ALL.size() + " created)");

            final Process second = launch(home, env, out, "topics", "create");
            assertThat(second.waitFor(90, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(out)).contains(Topics.ALL.size() + " topics (0 created)");

            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                final ConfigResource incidents = new ConfigResource(ConfigResource.Type.TOPIC, Topics.INCIDENTS.name());
                final Config config = admin.describeConfigs(List.of(incidents)).all().get().get(incidents);
                assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
                assertThat(admin.describeTopics(List.of(Topics.ALERTS_RAW.name())).allTopicNames().get()
                        .get(Topics.ALERTS_RAW.name()).partitions()).hasSize(Topics.ALERTS_RAW.partitions());
            }
        }
    }

    @Test
    @Timeout(240)
    void evalShouldFindTheShippedIncidentsAndTheirRootCausesOffline(@TempDir final Path home) throws Exception {
        final Path out = home.resolve("stdout.log");
        final Process eval = launch(home, Map.of(), out, "eval", Path.of("..", "scenarios").toString(), "--json");

        assertThat(eval.waitFor(220, TimeUnit.SECONDS)).isTrue();
        final List<String> lines = Files.readAllLines(out);
        assertThat(eval.exitValue()).as(Files.readString(home.resolve("stderr.log"))).isZero();
        final JsonNode result = JSON.readTree(lines.get(lines.size() - 1));
        assertThat(result.get("scenarios").asInt()).isEqualTo(7);
        assertThat(result.get("incidents_matched").asInt()).isEqualTo(result.get("incidents_expected").asInt());
        assertThat(result.get("noise_reduction").asDouble()).isGreaterThanOrEqualTo(5.0);
        assertThat(result.get("analyst").asText()).isEqualTo("offline");
        assertThat(result.get("top1").asDouble()).isGreaterThanOrEqualTo(0.7);
        assertThat(result.get("top3").asDouble()).isGreaterThanOrEqualTo(0.9);
        assertThat(result.get("llm_calls").asInt()).isZero();
    }

    @Test
    @Timeout(240)
    void evalForecastShouldBeatTheSeasonalBaselineAndPredictEveryShippedExhaustion(@TempDir final Path home)
            throws Exception {
        final Path out = home.resolve("stdout.log");
        final Process eval = launch(home, Map.of(), out, "eval", "forecast",
                Path.of("..", "scenarios", "forecast").toString(), "--json");

        assertThat(eval.waitFor(200, TimeUnit.SECONDS)).isTrue();
        assertThat(eval.exitValue()).as(Files.readString(home.resolve("stderr.log"))).isZero();
        final List<String> lines = Files.readAllLines(out);
        final JsonNode r = JSON.readTree(lines.get(lines.size() - 1));
        assertThat(r.get("series").asInt()).isGreaterThanOrEqualTo(30);
        assertThat(r.get("forecast").asInt()).isEqualTo(r.get("series").asInt());
        assertThat(r.get("smape").asDouble()).isLessThanOrEqualTo(0.8 * r.get("smape_seasonal_naive").asDouble());
        assertThat(r.get("interval_coverage").asDouble()).isBetween(0.7, 0.9);
        assertThat(r.get("exhaustion_expected").asInt()).isPositive();
        assertThat(r.get("exhaustion_predicted").asInt()).isEqualTo(r.get("exhaustion_expected").asInt());
        assertThat(r.get("median_lead_hours").asDouble()).isGreaterThanOrEqualTo(6.0);
        assertThat(r.get("false_exhaustion").asInt()).isZero();

        final Path bench = home.resolve("bench.log");
        final Process b = launch(home, Map.of(), bench, "bench", "forecast", "--series", "400", "--json");
        assertThat(b.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(b.exitValue()).isZero();
        final List<String> benchLines = Files.readAllLines(bench);
        final JsonNode figures = JSON.readTree(benchLines.get(benchLines.size() - 1));
        assertThat(figures.get("series").asInt()).isEqualTo(400);
        assertThat(figures.get("series_per_s").asDouble()).isPositive();
        assertThat(figures.get("rss_mb").asLong()).isPositive();
    }

    @Test
    @Timeout(240)
    void benchStreamsShouldMeasureAStormLoadedBehindItsWarmUpAndCountItsIncidents(@TempDir final Path home)
            throws Exception {
        final Path out = home.resolve("stdout.log");
        final Process bench = launch(home, Map.of(), out, "bench", "streams", "--events", "3000",
                "--warmup-events", "1500");

        assertThat(bench.waitFor(200, TimeUnit.SECONDS)).isTrue();
        assertThat(bench.exitValue()).as(Files.readString(home.resolve("stderr.log"))).isZero();
        final List<String> lines = Files.readAllLines(out);
        assertThat(lines).anyMatch(l -> l.startsWith("warm-up: 1500 alert events"))
                .anyMatch(l -> l.equals("pre-loaded 3000 alert events; measuring"));
        final JsonNode r = JSON.readTree(lines.get(lines.size() - 1));
        assertThat(r.get("events").asInt()).isEqualTo(3000);
        assertThat(r.get("warmup_events").asInt()).isEqualTo(1500);
        assertThat(r.get("alerts_in").asInt()).isEqualTo(4500);
        assertThat(r.get("caught_up").asBoolean()).isTrue();
        assertThat(r.get("events_per_s").asDouble()).isPositive();
        // 30 episodes of 150 alerts; both storms' incidents are on the topic, none merged across the pause.
        assertThat(r.get("episodes").asInt()).isEqualTo(30);
        assertThat(r.get("incidents").asInt()).isBetween(30, 45);
    }

    @Test
    @Timeout(300)
    void replayOfTheShippedScenariosShouldEndWithASummaryAndBeListedByALaterProcess(@TempDir final Path home)
            throws Exception {
        final Path out = home.resolve("stdout.log");
        final Process replay = launch(home, Map.of(), out, "replay", Path.of("..", "scenarios").toString(),
                "--run-id", "shipped", "--json");

        assertThat(replay.waitFor(200, TimeUnit.SECONDS)).isTrue();
        assertThat(replay.exitValue()).as(Files.readString(home.resolve("stderr.log"))).isZero();
        final List<String> lines = Files.readAllLines(out);
        final JsonNode summary = JSON.readTree(lines.get(lines.size() - 1));
        assertThat(summary.get("runs").asInt()).isEqualTo(7);
        assertThat(summary.get("incidents").asInt()).isGreaterThanOrEqualTo(12);
        assertThat(summary.get("analyses").asInt()).isEqualTo(summary.get("incidents").asInt());
        assertThat(summary.get("rejected")).isEmpty();

        // A second process on the same data: run records and results decode after the restart.
        final Process list = launch(home, Map.of(), out, "replay", "list", "--json");
        assertThat(list.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(list.exitValue()).as(Files.readString(home.resolve("stderr.log"))).isZero();
        final List<String> listed = Files.readAllLines(out);
        final JsonNode runs = JSON.readTree(listed.get(listed.size() - 1)).get("runs");
        assertThat(runs).hasSize(7);
        assertThat(runs.findValuesAsText("status")).containsOnly("FINISHED");
        assertThat(runs.findValuesAsText("run_id")).contains("shipped.storm", "shipped.gen-1-00");
        assertThat(runs.findValues("incidents").stream().mapToInt(JsonNode::asInt).sum())
                .isEqualTo(summary.get("incidents").asInt());
    }

    @Test
    @Timeout(240)
    void demoWithAModelShouldLedgerEveryBilledCall(@TempDir final Path home) throws Exception {
        final Path out = home.resolve("stdout.log");
        try (FakeLlmServer fake = FakeLlmServer.start("sk-launcher-0123456789")) {
            final Process demo = launch(home, Map.of("AIOPS_LLM_MODELS", "openai:gpt-4o-mini",
                    "AIOPS_LLM_OPENAI_BASE_URL", fake.baseUrl(), "AIOPS_LLM_OPENAI_API_KEY", "sk-launcher-0123456789"),
                    out, "demo");

            assertThat(demo.waitFor(200, TimeUnit.SECONDS)).isTrue();
            final List<String> lines = Files.readAllLines(out);
            assertThat(demo.exitValue()).as(String.join("\n", lines)).isZero();
            final JsonNode summary = JSON.readTree(lines.get(lines.size() - 1));
            assertThat(summary.get("llm_calls").asLong()).isEqualTo(fake.served()).isGreaterThanOrEqualTo(2);
            assertThat(summary.get("ledger_rows").asLong()).isEqualTo(summary.get("llm_calls").asLong());
            assertThat(String.join("\n", lines)).contains("analysis (openai:gpt-4o-mini");
        }
    }

    @Test
    @Timeout(180)
    void evalWithAModelShouldCountItsCallsAndTokens(@TempDir final Path home) throws Exception {
        final Path out = home.resolve("stdout.log");
        try (FakeLlmServer fake = FakeLlmServer.start("sk-launcher-0123456789")) {
            final Process eval = launch(home, Map.of("AIOPS_LLM_OPENAI_BASE_URL", fake.baseUrl(),
                    "AIOPS_LLM_OPENAI_API_KEY", "sk-launcher-0123456789"), out, "eval",
                    Path.of("..", "scenarios", "storm").toString(), "--json", "--model", "openai:fake-model");

            assertThat(eval.waitFor(150, TimeUnit.SECONDS)).isTrue();
            final List<String> lines = Files.readAllLines(out);
            assertThat(eval.exitValue()).as(Files.readString(home.resolve("stderr.log"))).isZero();
            final JsonNode result = JSON.readTree(lines.get(lines.size() - 1));
            assertThat(result.get("analyst").asText()).isEqualTo("openai:fake-model");
            assertThat(result.get("llm_calls").asInt()).isEqualTo(fake.served()).isGreaterThanOrEqualTo(2);
            assertThat(result.get("prompt_tokens").asLong()).isPositive();
            assertThat(result.get("completion_tokens").asLong()).isPositive();
        }
        assertThat(Files.readString(home.resolve("stderr.log"))).doesNotContain("sk-launcher-0123456789");
    }

    @Test
    @Timeout(60)
    void configCheckShouldReportEveryBadKeyForAProcessor(@TempDir final Path home) throws Exception {
        final Path out = home.resolve("stdout.log");
        final Process check = launch(home, Map.of("AIOPS_KAFKA_BOOTSTRAP_SERVERS", "no-port"), out,
                "config", "check", "--for", "processor");

        assertThat(check.waitFor(50, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).isEqualTo(2);
        final String err = Files.readString(home.resolve("stderr.log"));
        assertThat(err).contains("AIOPS_KAFKA_BOOTSTRAP_SERVERS").contains("AIOPS_REGISTRY_URL");
    }
}
