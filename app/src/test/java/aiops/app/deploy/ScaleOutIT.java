package aiops.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import aiops.analyzer.Analyzer;
import aiops.analyzer.AnalyzerConfig;
import aiops.analyzer.llm.LlmSettings;
import aiops.analyzer.llm.ModelSpec;
import aiops.app.eval.IncidentMatcher;
import aiops.app.eval.Truth;
import aiops.app.replay.RunResults;
import aiops.app.replay.RunSettle;
import aiops.app.runtime.AnalysisReader;
import aiops.avro.Analysis;
import aiops.avro.Incident;
import aiops.avro.IncidentAlert;
import aiops.avro.ServiceEntry;
import aiops.common.config.AiopsConfig;
import aiops.common.config.CoreConfig;
import aiops.common.kafka.KafkaSettings;
import aiops.common.kafka.TopicAdmin;
import aiops.common.kafka.TopicSnapshot;
import aiops.embedded.EmbeddedStack;
import aiops.embedded.llm.FakeLlmServer;
import aiops.ingest.publish.SignalPublisher;
import aiops.ingest.replay.ReplaySpeed;
import aiops.ingest.replay.ReplayTimeline;
import aiops.ingest.replay.Replayer;
import aiops.ingest.scenario.Scenario;
import aiops.ingest.scenario.ScenarioReader;
import aiops.ingest.streams.CatalogLoader;
import aiops.ingest.streams.StreamsConfigKeys;
import aiops.ingest.streams.StreamsService;
import aiops.ledger.Ledger;
import aiops.ledger.LedgerSchema;
import aiops.ledger.LedgerSettings;
import aiops.schemas.Topics;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out on a broker of its own: two instances of the incident topology and two analyzer workers share the work by
 * partition; one of each stops mid-storm (the analyzer as a crash, with calls in flight). Every expected incident is
 * formed exactly once, every analysed incident version is analysed exactly once, and the ledger holds one row per
 * billed call.
 */
@Tag("integration")
@Timeout(400)
class ScaleOutIT {

    static final String KEY = "sk-scale-0123456789";

    @Test
    void halfTheInstancesStoppingMidStormShouldLoseAndDuplicateNothing(@TempDir final Path home) throws Exception {
        final List<Scenario> scenarios = new ScenarioReader().readAll(Path.of("..", "scenarios")).stream()
                .filter(s -> s.name().startsWith("gen-")).toList();
        assertThat(scenarios).hasSizeGreaterThanOrEqualTo(4);
        final Map<String, String> runs = new LinkedHashMap<>();
        scenarios.forEach(s -> runs.put(s.name(), "scale." + s.name()));
        final AiopsConfig config = AiopsConfig.of(Map.of(), new Properties(), null).with(CoreConfig.HOME, home.toString());
        final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        try (EmbeddedStack stack = EmbeddedStack.start(config); FakeLlmServer fake = FakeLlmServer.start(KEY)
                .latency(Duration.ofMillis(300)); HikariDataSource db = pool(stack)) {
            final KafkaSettings kafka = stack.kafkaSettings();
            try (var admin = org.apache.kafka.clients.admin.Admin.create(kafka.adminProps())) {
                TopicAdmin.ensureTopics(admin, Topics.ALL, 1);
            }
            try (InputStream in = Files.newInputStream(scenarios.get(0).catalog().orElseThrow())) {
                final List<ServiceEntry> catalog = CatalogLoader.parse(in, "catalog.yaml");
                CatalogLoader.publish(kafka, catalog);
            }
            LedgerSchema.migrate(db);
            final StreamsService streamsA = streams(kafka, home, "a", metrics);
            final StreamsService streamsB = streams(kafka, home, "b", metrics);
            final Analyzer workerA = analyzer(kafka, fake, "w1", metrics);
            final Analyzer workerB = analyzer(kafka, fake, "w2", metrics);
            final Ledger ledger = Ledger.start(kafka, db, LedgerSettings.defaults(), metrics);
            try {
                final CountDownLatch halfway = new CountDownLatch(1);
                final CountDownLatch resume = new CountDownLatch(1);
                final CompletableFuture<Replayer.Result> storm = CompletableFuture.supplyAsync(() -> {
                    try (SignalPublisher publisher = new SignalPublisher(kafka, "scale-feed")) {
                        return new Replayer(publisher).replay(ReplayTimeline.of(scenarios, runs), ReplaySpeed.MAX, p -> {
                            if (p.done() == p.total() / 2) {
                                // The storm holds here, half fed, until one instance of each has been stopped.
                                halfway.countDown();
                                awaitQuietly(resume);
                            }
                        });
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                assertThat(halfway.await(120, TimeUnit.SECONDS)).isTrue();
                await(() -> fake.served() > 0);
                workerB.service().kill();
                workerB.close();
                streamsB.close();
                final int servedAtStop = fake.served();
                assertThat(storm.isDone()).as("stopped mid-storm").isFalse();
                resume.countDown();
                assertThat(storm.get(120, TimeUnit.SECONDS).rejected()).isEmpty();

                final Map<String, RunResults> results = RunSettle.await(kafka, runs::containsValue,
                        StreamsConfigKeys.defaults().idleFlush().plusSeconds(3), Duration.ofSeconds(180));
                assertThat(fake.served()).as("the survivors carried on with the second half").isGreaterThan(servedAtStop);
                assertThat(workerA.isRunning()).isTrue();
                assertThat(streamsA.isRunning()).isTrue();
                awaitLedger(kafka, db, runs.values());

                for (final Scenario s : scenarios) {
                    final RunResults run = results.get(runs.get(s.name()));
                    assertThat(run).as(s.name()).isNotNull();
                    final List<Truth.Expected> truth = Truth.read(s.truth().orElseThrow()).incidents();
                    assertThat(IncidentMatcher.match(truth, List.copyOf(run.incidents().values())))
                            .as("%s: every expected incident formed", s.name()).hasSize(truth.size());
                    assertThat(AnalysisReader.complete(run.incidents(), run.analyses()))
                            .as("%s: every incident analysed as it now is", s.name()).isTrue();
                    final Map<String, Long> owners = run.incidents().values().stream()
                            .flatMap(i -> i.getAlerts().stream().map(IncidentAlert::getFingerprint))
                            .collect(Collectors.groupingBy(f -> f, Collectors.counting()));
                    assertThat(owners).as("%s: no alert in two incidents (an incident formed twice)", s.name())
                            .allSatisfy((f, n) -> assertThat(n).as(f).isEqualTo(1));
                }
                assertExactlyOncePerVersion(kafka, Set.copyOf(runs.values()));
                assertLedgerEqualsBilledCalls(kafka, db, Set.copyOf(runs.values()));
            } finally {
                ledger.close();
                workerA.close();
                streamsA.close();
            }
        }
    }

    /** Each incident version is on the topic once, versions run 1..n, and each analysed version is analysed once. */
    private static void assertExactlyOncePerVersion(final KafkaSettings kafka, final Set<String> runs) {
        final Map<String, Integer> versions = new HashMap<>();
        TopicSnapshot.forEach(kafka, Topics.INCIDENTS, Duration.ofSeconds(60), r -> {
            final Incident i = r.value();
            if (i != null && runs.contains(i.getReplayRunId())) {
                versions.merge(i.getIncidentId() + "@" + i.getVersion(), 1, Integer::sum);
            }
        });
        assertThat(versions).isNotEmpty().allSatisfy((k, n) -> assertThat(n).as("incident version %s", k).isEqualTo(1));
        final Map<String, Integer> highest = new HashMap<>();
        versions.keySet().forEach(k -> highest.merge(k.substring(0, k.indexOf('@')),
                Integer.parseInt(k.substring(k.indexOf('@') + 1)), Math::max));
        highest.forEach((id, max) -> {
            for (int v = 1; v <= max; v++) {
                assertThat(versions).as("%s has version %d", id, v).containsKey(id + "@" + v);
            }
        });
        final Map<String, Long> analysed = TopicSnapshot.values(kafka, Topics.ANALYSES).stream()
                .filter(a -> runs.contains(a.getReplayRunId()))
                .collect(Collectors.groupingBy(a -> a.getIncidentId() + "@" + a.getIncidentVersion(), Collectors.counting()));
        assertThat(analysed).isNotEmpty().allSatisfy((k, n) -> assertThat(n).as("analyses of %s", k).isEqualTo(1));
    }

    private static void assertLedgerEqualsBilledCalls(final KafkaSettings kafka, final HikariDataSource db,
                                                      final Set<String> runs) throws Exception {
        final Set<String> billed = TopicSnapshot.values(kafka, Topics.LLM_USAGE).stream()
                .filter(u -> runs.contains(u.getReplayRunId())).map(u -> u.getUsageId()).collect(Collectors.toSet());
        assertThat(billed).isNotEmpty();
        final long[] rows = ledgerRows(db, runs);
        assertThat(rows[0]).as("ledger rows").isEqualTo(billed.size());
        assertThat(rows[1]).as("distinct usage ids in the ledger").isEqualTo(billed.size());
    }

    private static long[] ledgerRows(final HikariDataSource db, final java.util.Collection<String> runs) throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT usage_id) FROM llm_usage_ledger WHERE replay_run IN ("
                     + runs.stream().map(r -> "'" + r + "'").collect(Collectors.joining(",")) + ")")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    private static void awaitLedger(final KafkaSettings kafka, final HikariDataSource db,
                                    final java.util.Collection<String> runs) throws Exception {
        final Set<String> set = Set.copyOf(runs);
        await(() -> {
            final long billed = TopicSnapshot.values(kafka, Topics.LLM_USAGE).stream()
                    .filter(u -> set.contains(u.getReplayRunId())).map(u -> u.getUsageId()).distinct().count();
            return billed > 0 && ledgerRows(db, runs)[1] == billed;
        });
    }

    private static void awaitQuietly(final CountDownLatch latch) {
        try {
            latch.await(120, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(final java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(condition);
    }

    private static StreamsService streams(final KafkaSettings kafka, final Path home, final String instance,
                                          final SimpleMeterRegistry metrics) throws Exception {
        return StreamsService.start(kafka, "scale-streams", home.resolve("streams-" + instance),
                StreamsConfigKeys.defaults(), metrics);
    }

    private static Analyzer analyzer(final KafkaSettings kafka, final FakeLlmServer fake, final String instance,
                                     final SimpleMeterRegistry metrics) throws Exception {
        final LlmSettings llm = new LlmSettings(List.of(new ModelSpec("openai", "fake-model", fake.baseUrl(), KEY)),
                List.of(), Duration.ofSeconds(10), 1, 0.0, 512, true, Duration.ofHours(1), false, Map.of(),
                Duration.ofMillis(50));
        return Analyzer.start(kafka, new AnalyzerConfig.Worker("scale-analyzer", instance, Duration.ofMillis(500),
                Duration.ofSeconds(5), 8, false), llm, metrics);
    }

    private static HikariDataSource pool(final EmbeddedStack stack) {
        final HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(stack.postgres().jdbcUrl());
        hikari.setMaximumPoolSize(6);
        return new HikariDataSource(hikari);
    }
}
