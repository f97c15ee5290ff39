package aiops.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import aiops.analyzer.Analyzer;
import aiops.analyzer.AnalyzerConfig;
import aiops.analyzer.llm.LlmSettings;
import aiops.analyzer.llm.ModelSpec;
import aiops.app.cli.AiopsCommand;
import aiops.avro.ActionType;
import aiops.avro.Incident;
import aiops.avro.RemediationEvent;
import aiops.avro.RemediationState;
import aiops.common.config.AiopsConfig;
import aiops.common.kafka.KafkaSettings;
import aiops.embedded.EmbeddedStack;
import aiops.embedded.junit.EmbeddedStackExtension;
import aiops.embedded.llm.FakeLlmServer;
import aiops.ingest.streams.StreamsConfigKeys;
import aiops.ingest.streams.StreamsService;
import aiops.remediator.Remediator;
import aiops.remediator.RemediatorSettings;
import aiops.remediator.execute.KubernetesActions;
import aiops.remediator.policy.RemediationPolicy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code aiops replay} against a running pipeline (streams, analyzer, remediator under an auto policy, a mock
 * cluster): pacing does not change incidents, replays act on nothing unless allowed, and diff names what a
 * different analyst changed. The speed-10 replay runs in the background while the other tests run.
 */
@Tag("integration")
@Timeout(420)
@ExtendWith(EmbeddedStackExtension.class)
@EnableKubernetesMockClient(crud = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplayIT {

    static final String STORM = Path.of("..", "scenarios", "storm").toString();
    static final String KEY = "sk-replay-0123456789";
    static final String POLICY = """
            rules:
              - name: scaling
                match: {actions: [SCALE_DEPLOYMENT]}
                mode: auto
                bounds: {max_replicas_delta: 1}
            """;
    static final ObjectMapper JSON = new ObjectMapper();

    static KubernetesMockServer server;
    static KubernetesClient client;

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);
    private static KafkaSettings kafka;
    private static StreamsService streams;
    private static Analyzer analyzer;
    private static Remediator remediator;
    private static CompletableFuture<String> paced;
    private static CompletableFuture<String> unpaced;

    @BeforeAll
    static void pipeline(final EmbeddedStack stack) throws Exception {
        kafka = stack.kafkaSettings();
        System.setProperty("aiops.kafka.bootstrap.servers", kafka.bootstrapServers());
        System.setProperty("aiops.registry.url", kafka.registryUrl());
        client.apps().deployments().inNamespace("shop").resource(new DeploymentBuilder().withNewMetadata()
                .withName("payments-db-proxy").withNamespace("shop").endMetadata().withNewSpec().withReplicas(2)
                .withNewSelector().addToMatchLabels("app", "payments-db-proxy").endSelector().withNewTemplate()
                .withNewMetadata().addToLabels("app", "payments-db-proxy").endMetadata().withNewSpec().addNewContainer()
                .withName("proxy").withImage("pgbouncer:1").endContainer().endSpec().endTemplate().endSpec().build())
                .create();
        final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        streams = StreamsService.start(kafka, "replay-it-" + SUFFIX, Files.createTempDirectory("replay-it"),
                StreamsConfigKeys.defaults(), metrics);
        analyzer = analyzer(LlmSettings.from(AiopsConfig.of(Map.of(), new Properties(), null)));
        remediator = Remediator.start(kafka, database(stack, "replay_" + SUFFIX), RemediatorSettings.defaults("r-" + SUFFIX)
                .withPolicy(RemediationPolicy.parse(POLICY, "policy.yaml")).withVerifyTimeout(Duration.ofSeconds(2)),
                context -> client, a -> { });
        paced = CompletableFuture.supplyAsync(() -> replay(STORM, "--run-id", "paced-" + SUFFIX, "--speed", "10",
                "--wait", "120", "--json"));
        unpaced = CompletableFuture.supplyAsync(() -> replay(STORM, "--run-id", "unpaced-" + SUFFIX, "--json"));
    }

    @AfterAll
    static void stop() throws Exception {
        remediator.close();
        analyzer.close();
        streams.close();
        System.clearProperty("aiops.kafka.bootstrap.servers");
        System.clearProperty("aiops.registry.url");
    }

    @Test
    @Order(1)
    void aReplayUnderAnAutoPolicyShouldExecuteNothingUnlessStartedWithSideEffectsAllowed() throws Exception {
        final JsonNode dry = last(replay(STORM, "--run-id", "dry-" + SUFFIX, "--json"));
        assertThat(dry.get("incidents").asInt()).isEqualTo(2);
        final List<RemediationEvent> events = events("dry-" + SUFFIX);
        assertThat(events).filteredOn(e -> e.getActionType() == ActionType.SCALE_DEPLOYMENT
                        && e.getState() != RemediationState.PLANNED)
                .isNotEmpty()
                .allSatisfy(e -> {
                    assertThat(e.getState()).isEqualTo(RemediationState.DRY_RUN);
                    assertThat(e.getReason()).contains("replay run dry-" + SUFFIX + " is dry-run only")
                            .contains("auto");
                });
        assertThat(events).noneMatch(e -> e.getState() == RemediationState.APPROVED
                || e.getState() == RemediationState.APPLIED);
        assertThat(deployment().getSpec().getReplicas()).isEqualTo(2);
        assertThat(annotations(deployment())).doesNotContainKey(KubernetesActions.ACTION_ANNOTATION);

        // The same replay, allowed: the policy's auto mode now reaches the cluster, so the gate above was the replay's.
        last(replay(STORM, "--run-id", "wet-" + SUFFIX, "--allow-side-effects", "--json"));
        assertThat(events("wet-" + SUFFIX)).anyMatch(e -> e.getActionType() == ActionType.SCALE_DEPLOYMENT
                && e.getState() == RemediationState.APPROVED);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(deployment().getSpec().getReplicas()).as("scaled by each analysed version")
                        .isGreaterThan(2));
        assertThat(annotations(deployment())).containsKey(KubernetesActions.ACTION_ANNOTATION);
    }

    @Test
    @Order(2)
    void diffShouldReportWhatADifferentAnalystChanged() throws Exception {
        last(replay(STORM, "--run-id", "offline-" + SUFFIX, "--json"));
        analyzer.close();
        try (FakeLlmServer fake = FakeLlmServer.start(KEY)) {
            analyzer = analyzer(new LlmSettings(List.of(new ModelSpec("openai", "fake-model", fake.baseUrl(), KEY)),
                    List.of(), Duration.ofSeconds(10), 1, 0.0, 512, true, Duration.ofHours(1), false, Map.of(),
                    Duration.ofMillis(50)));
            final JsonNode llm = last(replay(STORM, "--run-id", "llm-" + SUFFIX, "--json"));
            assertThat(llm.get("llm_calls").asInt()).isPositive();
        }

        final JsonNode diff = last(run("replay", "diff", "--baseline", "offline-" + SUFFIX, "--candidate",
                "llm-" + SUFFIX, "--json"));
        final JsonNode summary = diff.get("summary");
        assertThat(summary.get("matched").asInt()).isEqualTo(2);
        assertThat(summary.get("baselineTokens").asLong()).isZero();
        assertThat(summary.get("candidateTokens").asLong()).isPositive();
        for (final JsonNode row : diff.get("rows")) {
            assertThat(row.get("baseline").get("analyst").asText()).isEqualTo("offline");
            assertThat(row.get("candidate").get("analyst").asText()).contains("fake-model");
        }
        assertThat(summary.get("rootCauseChanged").asInt() + summary.get("actionsChanged").asInt()
                + (summary.get("baselineConfidence").asDouble() != summary.get("candidateConfidence").asDouble() ? 1 : 0))
                .as("the fake model's answer differs from the offline analyst's").isPositive();

        final String table = run("replay", "diff", "--baseline", "offline-" + SUFFIX, "--candidate", "llm-" + SUFFIX);
        assertThat(table).contains("offline-" + SUFFIX).contains("llm-" + SUFFIX).contains("matched 2");
        final JsonNode list = last(run("replay", "list", "--json"));
        assertThat(list.get("runs").findValuesAsText("run_id")).contains("offline-" + SUFFIX, "llm-" + SUFFIX);
    }

    @Test
    @Order(3)
    void aReplayFromTheTopicsShouldRepublishTheLiveSignalsOfTheRangeAndNoReplayedOnes() throws Exception {
        final java.time.Instant since = java.time.Instant.now();
        final var live = aiops.app.runtime.ScenarioFeeder.feed(kafka,
                new aiops.ingest.scenario.ScenarioReader().read(Path.of(STORM)).signals(), null);
        final java.time.Instant until = java.time.Instant.now().plusMillis(1);
        // Replayed records of the same range (the paced run is still feeding) must not be picked up.
        final JsonNode archived = last(replay("--from-topics", "--since", since.toString(), "--until", until.toString(),
                "--run-id", "archive-" + SUFFIX, "--json"));

        assertThat(archived.get("signals").asInt()).isEqualTo(live.acknowledged());
        assertThat(archived.get("records").asInt()).isEqualTo(live.acknowledged());
        assertThat(archived.get("incidents").asInt()).isEqualTo(2);
        final Map<String, RunResults> runs = RunResults.read(kafka, r -> r.equals("archive-" + SUFFIX));
        assertThat(runs.get("archive-" + SUFFIX).incidents().values())
                .allSatisfy(i -> assertThat(i.getReplayRunId()).isEqualTo("archive-" + SUFFIX));
        assertThat(run("replay", "list")).contains("archive-" + SUFFIX).contains("topics:" + since);
    }

    @Test
    @Order(4)
    void aReplayAtMaxSpeedShouldFormTheSameIncidentsAsAtSpeedTen() throws Exception {
        final JsonNode max = last(unpaced.get());
        final JsonNode ten = last(paced.get());
        assertThat(ten.get("seconds").asDouble()).as("paced by the scenario's 29 minutes / 10")
                .isGreaterThan(150.0);
        assertThat(max.get("seconds").asDouble()).isLessThan(60.0);
        final Map<String, RunResults> runs = RunResults.read(kafka,
                r -> r.equals("paced-" + SUFFIX) || r.equals("unpaced-" + SUFFIX));
        final Map<String, String> atMax = shapes(runs.get("unpaced-" + SUFFIX));
        assertThat(atMax).hasSize(2);
        assertThat(shapes(runs.get("paced-" + SUFFIX))).isEqualTo(atMax);
    }

    /**
     * Each incident by origin, as it materially ended: versions, state, severity, services, anomaly kinds and event
     * times (repeat counts and non-material joins show only in a later version, so they depend on drain timing).
     */
    private static Map<String, String> shapes(final RunResults run) {
        return run.incidents().values().stream().collect(Collectors.toMap(i -> RunResults.origin(i, ""), ReplayIT::shape));
    }

    private static String shape(final Incident i) {
        return "v" + i.getVersion() + " " + i.getState() + " " + i.getSeverity() + " " + i.getServices() + " "
                + i.getAnomalies().stream().map(a -> a.getKind()).distinct().sorted().toList() + " "
                + i.getOpenedAt() + ".." + i.getResolvedAt();
    }

    private static Analyzer analyzer(final LlmSettings llm) throws Exception {
        return Analyzer.start(kafka, new AnalyzerConfig.Worker("replay-it-analyzer-" + SUFFIX, "replay-it-" + SUFFIX,
                Duration.ofMillis(500), Duration.ofSeconds(5), 4, false), llm, new SimpleMeterRegistry());
    }

    private static List<RemediationEvent> events(final String run) {
        return aiops.common.kafka.TopicSnapshot.values(kafka, aiops.schemas.Topics.REMEDIATIONS).stream()
                .filter(e -> run.equals(e.getReplayRunId())).toList();
    }

    private static Deployment deployment() {
        return client.apps().deployments().inNamespace("shop").withName("payments-db-proxy").get();
    }

    private static Map<String, String> annotations(final Deployment d) {
        return d.getMetadata().getAnnotations() == null ? Map.of() : d.getMetadata().getAnnotations();
    }

    private static String replay(final String... args) {
        final String[] all = new String[args.length + 1];
        all[0] = "replay";
        System.arraycopy(args, 0, all, 1, args.length);
        return run(all);
    }

    private static String run(final String... args) {
        final StringWriter out = new StringWriter();
        final picocli.CommandLine cli = AiopsCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        final StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        final int code = cli.execute(args);
        assertThat(code).as(String.join(" ", args) + "\n" + out + err).isZero();
        return out.toString();
    }

    private static JsonNode last(final String output) throws Exception {
        return JSON.readTree(output.strip().lines().reduce((a, b) -> b).orElseThrow());
    }

    private static PGSimpleDataSource database(final EmbeddedStack stack, final String name) throws Exception {
        try (Connection c = DriverManager.getConnection(stack.postgres().jdbcUrl()); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        final PGSimpleDataSource db = new PGSimpleDataSource();
        db.setUrl(stack.postgres().jdbcUrl().replace("/aiops?", "/" + name + "?"));
        return db;
    }
}
