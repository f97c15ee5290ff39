package aiops.analyzer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import aiops.analyzer.llm.LlmSettings;
import aiops.analyzer.llm.ModelSpec;
import aiops.avro.Analysis;
import aiops.avro.BudgetState;
import aiops.avro.BudgetStatus;
import aiops.avro.Incident;
import aiops.avro.LlmUsage;
import aiops.avro.Severity;
import aiops.common.kafka.KafkaSettings;
import aiops.embedded.EmbeddedStack;
import aiops.embedded.junit.EmbeddedStackExtension;
import aiops.embedded.junit.TcpForwarder;
import aiops.embedded.llm.FakeLlmServer;
import aiops.schemas.AvroSerdes;
import aiops.schemas.TopicSpec;
import aiops.schemas.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The analyzer on the real broker with the real langchain4j client against the fake provider. */
@Tag("integration")
@Timeout(300)
@ExtendWith(EmbeddedStackExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AnalyzerIT {

    static final String KEY = "sk-it-0123456789";

    LlmSettings llm(final FakeLlmServer fake) {
        return new LlmSettings(List.of(new ModelSpec("openai", "fake-model", fake.baseUrl(), KEY)), List.of(),
                Duration.ofSeconds(10), 1, 0.0, 512, true, Duration.ofHours(1), false, Map.of(), Duration.ofMillis(50));
    }

    AnalyzerConfig.Worker worker(final String run) {
        return new AnalyzerConfig.Worker("analyzer-it-" + run, "it-" + run, Duration.ofMillis(300),
                Duration.ofSeconds(5), 8, false);
    }

    @Test
    void shouldAnalyseEveryIncidentVersionExactlyOnceAcrossACrash(final EmbeddedStack stack) throws Exception {
        final KafkaSettings kafka = stack.kafkaSettings();
        final String run = UUID.randomUUID().toString().substring(0, 8);
        final List<String> ids = new ArrayList<>();
        try (FakeLlmServer fake = FakeLlmServer.start(KEY).latency(Duration.ofMillis(1500))) {
            final Analyzer first = Analyzer.start(kafka, worker(run), llm(fake), new SimpleMeterRegistry());
            for (int i = 0; i < 12; i++) {
                ids.add("inc-" + run + "-" + i);
                produce(kafka, Topics.INCIDENTS, ids.get(i), cascade(ids.get(i), 1, run));
            }
            // Kill it while analyses are in flight and some have been committed.
            await().atMost(Duration.ofSeconds(60)).until(() -> fake.served() >= 10);
            first.service().kill();
            first.close();

            try (Analyzer second = Analyzer.start(kafka, worker(run), llm(fake), new SimpleMeterRegistry())) {
                awaitAnalyses(kafka, ids, 1);
                // A material change after the restart is analysed once more; a change that is not, is not.
                final Incident grown = cascade(ids.get(0), 2, run);
                grown.getServices().add("cart-" + run);
                grown.getAlerts().add(Fixtures.alert("fp-cart-" + ids.get(0), "HighErrorRate", "cart-" + run,
                        Severity.WARNING, 4));
                produce(kafka, Topics.INCIDENTS, ids.get(0), grown);
                final Incident sameAgain = cascade(ids.get(1), 2, run);
                produce(kafka, Topics.INCIDENTS, ids.get(1), sameAgain);
                awaitAnalyses(kafka, ids, 1);
                await().atMost(Duration.ofSeconds(60)).until(() -> analysesOf(kafka, ids).stream()
                        .anyMatch(a -> a.getIncidentId().equals(ids.get(0)) && a.getIncidentVersion() == 2));
                assertThat(second.isRunning()).isTrue();
            }
        }

        final List<Analysis> analyses = analysesOf(kafka, ids);
        final Map<String, Long> perVersion = analyses.stream().collect(Collectors.groupingBy(
                a -> a.getIncidentId() + "@" + a.getIncidentVersion(), Collectors.counting()));
        assertThat(perVersion).hasSize(13).allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(1));
        assertThat(analyses).allSatisfy(a -> assertThat(a.getDegraded()).isFalse());

        final Set<String> analysisIds = analyses.stream().map(Analysis::getAnalysisId).collect(Collectors.toSet());
        final List<LlmUsage> usage = values(kafka, Topics.LLM_USAGE).stream()
                .filter(u -> ids.contains(u.getIncidentId())).toList();
        assertThat(usage).extracting(LlmUsage::getUsageId).doesNotHaveDuplicates();
        assertThat(usage).extracting(LlmUsage::getAnalysisId).containsExactlyInAnyOrderElementsOf(
                analyses.stream().map(Analysis::getAnalysisId).toList());
        assertThat(usage).allSatisfy(u -> {
            assertThat(analysisIds).contains(u.getAnalysisId());
            assertThat(u.getInputTokens()).isPositive();
            assertThat(u.getOutcome()).isEqualTo("ok");
        });
    }

    @Test
    void shouldAnswerFromTheOfflineAnalystWhenTheServiceIsPastItsHardBudget(final EmbeddedStack stack) throws Exception {
        final KafkaSettings kafka = stack.kafkaSettings();
        final String run = UUID.randomUUID().toString().substring(0, 8);
        produce(kafka, Topics.BUDGET, "service:payments-db-" + run, BudgetState.newBuilder()
                .setScope("service:payments-db-" + run).setPeriod("day").setPeriodStart(Fixtures.T0)
                .setLimitUsd(new BigDecimal("1.0000000000")).setSpentUsd(new BigDecimal("1.5000000000"))
                .setSoftRatio(0.8).setState(BudgetStatus.HARD_EXCEEDED).setUpdatedAt(Fixtures.T0).build());
        final String id = "inc-" + run;
        try (FakeLlmServer fake = FakeLlmServer.start(KEY);
             Analyzer analyzer = Analyzer.start(kafka, worker(run), llm(fake), new SimpleMeterRegistry())) {
            produce(kafka, Topics.INCIDENTS, id, cascade(id, 1, run));
            final Analysis analysis = awaitAnalyses(kafka, List.of(id), 1).get(0);

            assertThat(analysis.getDegraded()).isTrue();
            assertThat(analysis.getDegradedReason()).isEqualTo("budget_exceeded");
            assertThat(analysis.getAnalyst()).isEqualTo("offline");
            assertThat(analysis.getHypotheses().get(0).getService()).isEqualTo("payments-db-" + run);
            assertThat(fake.served()).isZero();
        }
    }

    @Test
    void shouldServeTheSameFactsFromTheDurableCacheAfterARestart(final EmbeddedStack stack) throws Exception {
        final KafkaSettings kafka = stack.kafkaSettings();
        final String run = UUID.randomUUID().toString().substring(0, 8);
        try (FakeLlmServer fake = FakeLlmServer.start(KEY)) {
            try (Analyzer analyzer = Analyzer.start(kafka, worker(run), llm(fake), new SimpleMeterRegistry())) {
                produce(kafka, Topics.INCIDENTS, "inc-a-" + run, cascade("inc-a-" + run, 1, run, "same"));
                awaitAnalyses(kafka, List.of("inc-a-" + run), 1);
            }
            assertThat(fake.served()).isEqualTo(1);
            try (Analyzer restarted = Analyzer.start(kafka, worker(run), llm(fake), new SimpleMeterRegistry())) {
                produce(kafka, Topics.INCIDENTS, "inc-b-" + run, cascade("inc-b-" + run, 1, run, "same"));
                final Analysis replayed = awaitAnalyses(kafka, List.of("inc-b-" + run), 1).get(0);

                assertThat(fake.served()).as("answered from the cache topic, not the provider").isEqualTo(1);
                assertThat(replayed.getDegraded()).isFalse();
                assertThat(replayed.getPromptTokens()).isZero();
            }
        }
        final List<LlmUsage> usage = values(kafka, Topics.LLM_USAGE).stream()
                .filter(u -> u.getIncidentId().equals("inc-b-" + run)).toList();
        assertThat(usage).singleElement().satisfies(u -> {
            assertThat(u.getCached()).isTrue();
            assertThat(u.getCostUsd()).isZero();
        });
    }

    /**
     * First, while nothing else is on the topics the start reads, so the start needs no schema and the wait happens
     * where incidents are read (a start with history to read waits for the registry before it returns).
     */
    @Test
    @Order(1)
    void shouldWaitForTheRegistryRatherThanSkipAnIncidentItCannotDecodeYet(final EmbeddedStack stack) throws Exception {
        final KafkaSettings kafka = stack.kafkaSettings();
        final String run = UUID.randomUUID().toString().substring(0, 8);
        final String id = "inc-wait-" + run;
        produce(kafka, Topics.INCIDENTS, id, cascade(id, 1, run));
        final int port = TcpForwarder.freePort();
        final URI registry = URI.create(kafka.registryUrl());
        final KafkaSettings viaPort = new KafkaSettings(kafka.bootstrapServers(),
                "http://127.0.0.1:" + port + registry.getPath(), kafka.clientOverrides());
        try (FakeLlmServer fake = FakeLlmServer.start(KEY);
             Analyzer analyzer = Analyzer.start(viaPort, worker(run), llm(fake), new SimpleMeterRegistry())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !analyzer.isRunning());
            assertThat(fake.served()).isZero();

            try (TcpForwarder ignored = TcpForwarder.start(port, registry.getHost(), registry.getPort())) {
                assertThat(awaitAnalyses(kafka, List.of(id), 1)).singleElement()
                        .satisfies(a -> assertThat(a.getDegraded()).isFalse());
                await().atMost(Duration.ofSeconds(30)).until(() -> analyzer.isRunning());
            }
        }
    }

    /** The fixture cascade over services of this run, with the catalogue to match. */
    static Incident cascade(final String id, final int version, final String run) {
        return cascade(id, version, run, id);
    }

    /** Incidents with the same {@code facts} tag have the same alerts, so the same prompt. */
    static Incident cascade(final String id, final int version, final String run, final String facts) {
        final Incident base = Fixtures.cascade(id, version);
        final Function<String, String> own = s -> s + "-" + run;
        base.setServices(new ArrayList<>(base.getServices().stream().map(own).toList()));
        base.setAlerts(new ArrayList<>(base.getAlerts().stream().map(a -> Fixtures.alert(a.getFingerprint() + "-" + facts,
                a.getName(), own.apply(a.getService()), a.getSeverity(),
                (int) Duration.between(Fixtures.T0, a.getFirstSeen()).toMinutes())).toList()));
        base.setAnomalies(List.of());
        return base;
    }

    static List<Analysis> awaitAnalyses(final KafkaSettings kafka, final List<String> ids, final int minVersion) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> analysesOf(kafka, ids)
                .stream().filter(a -> a.getIncidentVersion() >= minVersion).map(Analysis::getIncidentId)
                .collect(Collectors.toSet()).size() == ids.size());
        return analysesOf(kafka, ids);
    }

    static List<Analysis> analysesOf(final KafkaSettings kafka, final List<String> ids) {
        return values(kafka, Topics.ANALYSES).stream().filter(a -> ids.contains(a.getIncidentId())).toList();
    }

    static <V extends SpecificRecord> void produce(final KafkaSettings kafka, final TopicSpec<V> topic, final String key,
                                                   final V value) throws Exception {
        try (Serde<V> serde = AvroSerdes.valueSerde(topic, kafka.registryConfig());
             KafkaProducer<String, V> producer = new KafkaProducer<>(kafka.producerProps("analyzer-it"),
                     new StringSerializer(), serde.serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
        }
    }

    static <V extends SpecificRecord> List<V> values(final KafkaSettings kafka, final TopicSpec<V> topic) {
        return aiops.common.kafka.TopicSnapshot.values(kafka, topic);
    }

}
