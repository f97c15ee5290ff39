package aiops.analyzer.llm;

import static org.assertj.core.api.Assertions.assertThat;

import aiops.analyzer.AnalystAnswer;
import aiops.analyzer.Fixtures;
import aiops.analyzer.LlmCall;
import aiops.analyzer.budget.BudgetGuard;
import aiops.analyzer.cache.AnalysisCache;
import aiops.analyzer.context.ContextBuilder;
import aiops.analyzer.context.IncidentContext;
import aiops.analyzer.offline.OfflineAnalyst;
import aiops.avro.ActionType;
import aiops.avro.BudgetState;
import aiops.avro.BudgetStatus;
import aiops.avro.Hypothesis;
import aiops.embedded.llm.FakeLlmServer;
import aiops.embedded.llm.FakeLlmServer.Mode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real langchain4j OpenAI client against a fake OpenAI-compatible server, one failure mode at a time. */
class LlmAnalystTest {

    static final String KEY = "sk-test-0123456789";

    private FakeLlmServer fake;
    private final IncidentContext context = ContextBuilder.build(Fixtures.cascade("inc-1", 1), Fixtures.catalog(),
            List.of());

    @BeforeEach
    void start() throws IOException {
        fake = FakeLlmServer.start(KEY);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    LlmSettings settings(final String models, final int retries, final Duration timeout, final double temperature) {
        final List<ModelSpec> specs = java.util.Arrays.stream(models.split(","))
                .map(m -> new ModelSpec("openai", m, fake.baseUrl(), KEY)).toList();
        return new LlmSettings(specs, List.of(new ModelSpec("openai", "cheap-model", fake.baseUrl(), KEY)), timeout,
                retries, temperature, 512, true, Duration.ofHours(1), false,
                Map.of("primary", new BigDecimal[] {new BigDecimal("1.0"), new BigDecimal("2.0")}), Duration.ofMillis(20));
    }

    LlmAnalyst analyst(final LlmSettings settings, final BudgetGuard budgets) {
        final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        return new LlmAnalyst(settings, new AnalysisCache(settings.cacheTtl(), 1000, Clock.systemUTC(), metrics),
                budgets, new OfflineAnalyst(), metrics, Clock.systemUTC());
    }

    LlmAnalyst analyst(final LlmSettings settings) {
        return analyst(settings, BudgetGuard.unlimited());
    }

    @Test
    void shouldBillAnAnsweredCallWithTheProvidersUsage() {
        final AnalystAnswer answer = analyst(settings("primary", 0, Duration.ofSeconds(5), 0)).analyse(context);

        assertThat(answer.degradedReason()).isNull();
        assertThat(answer.analyst()).isEqualTo("openai:primary");
        assertThat(answer.hypotheses()).extracting(Hypothesis::getService).containsExactly("payments-db");
        assertThat(answer.calls()).singleElement().satisfies(c -> {
            assertThat(c.outcome()).isEqualTo("ok");
            assertThat(c.estimated()).isFalse();
            assertThat(c.inputTokens()).isEqualTo(expectedPromptTokens(fake.requests().get(0)));
            assertThat(c.costUsd()).isPositive();
        });
        assertThat(fake.requests().get(0)).contains("\"response_format\"").contains("json_schema");
    }

    @Test
    void shouldWaitAsLongAsRetryAfterAsksThenSucceed() {
        fake.retryAfterSeconds(1).script(Mode.RATE_LIMITED);
        final long started = System.nanoTime();

        final AnalystAnswer answer = analyst(settings("primary", 2, Duration.ofSeconds(5), 0)).analyse(context);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(fake.served()).isEqualTo(2);
        assertThat(answer.degradedReason()).isNull();
        assertThat(answer.calls()).as("a refused request is not billed").hasSize(1);
    }

    @Test
    void shouldFailOverToTheNextModelWhenRetriesRunOut() {
        fake.script(Mode.SERVER_ERROR, Mode.SERVER_ERROR, Mode.SERVER_ERROR);

        final AnalystAnswer answer = analyst(settings("primary,secondary", 2, Duration.ofSeconds(5), 0))
                .analyse(context);

        assertThat(fake.requests()).hasSize(4);
        assertThat(fake.requests()).extracting(LlmAnalystTest::model)
                .containsExactly("primary", "primary", "primary", "secondary");
        assertThat(answer.model()).isEqualTo("secondary");
        assertThat(answer.degradedReason()).isNull();
    }

    @Test
    void shouldBillATimedOutCallAsEstimatedAndFallBackToOfflineWhenEveryModelFails() {
        fake.slowDelay(Duration.ofSeconds(3)).defaultMode(Mode.SLOW);

        final AnalystAnswer answer = analyst(settings("primary", 0, Duration.ofMillis(300), 0)).analyse(context);

        assertThat(answer.analyst()).isEqualTo(OfflineAnalyst.NAME);
        assertThat(answer.degradedReason()).isEqualTo("timeout");
        assertThat(answer.hypotheses()).isNotEmpty();
        assertThat(answer.calls()).singleElement().satisfies(c -> {
            assertThat(c.outcome()).isEqualTo("timeout");
            assertThat(c.estimated()).isTrue();
            assertThat(c.inputTokens()).isPositive();
        });
    }

    @Test
    void shouldAskOnceForARepairAfterAnUnusableAnswer() {
        fake.script(Mode.MALFORMED);

        final AnalystAnswer answer = analyst(settings("primary", 0, Duration.ofSeconds(5), 0)).analyse(context);

        assertThat(fake.requests()).hasSize(2);
        assertThat(fake.requests().get(1)).contains("could not be used");
        assertThat(answer.degradedReason()).isNull();
        assertThat(answer.calls()).extracting(LlmCall::purpose, LlmCall::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("analysis", "invalid_output"),
                        org.assertj.core.groups.Tuple.tuple("repair", "ok"));
    }

    @Test
    void shouldDegradeWhenTheRepairIsUnusableToo() {
        fake.defaultMode(Mode.MALFORMED);

        final AnalystAnswer answer = analyst(settings("primary", 0, Duration.ofSeconds(5), 0)).analyse(context);

        assertThat(fake.requests()).hasSize(2);
        assertThat(answer.degradedReason()).isEqualTo("invalid_output");
        assertThat(answer.analyst()).isEqualTo(OfflineAnalyst.NAME);
        assertThat(answer.calls()).extracting(LlmCall::outcome).containsExactly("invalid_output", "invalid_output");
    }

    @Test
    void shouldEstimateAndFlagTokensWhenTheProviderReportsNoUsage() {
        fake.script(Mode.NO_USAGE);

        final AnalystAnswer answer = analyst(settings("primary", 0, Duration.ofSeconds(5), 0)).analyse(context);

        assertThat(answer.calls()).singleElement().satisfies(c -> {
            assertThat(c.estimated()).isTrue();
            assertThat(c.inputTokens()).isPositive();
            assertThat(c.outputTokens()).isPositive();
        });
    }

    @Test
    void shouldDropUncitedHypothesesAndActionsOutsidePolicy() {
        fake.script(Mode.OUT_OF_POLICY);

        final AnalystAnswer answer = analyst(settings("primary", 0, Duration.ofSeconds(5), 0)).analyse(context);

        assertThat(answer.hypotheses()).singleElement().satisfies(h -> {
            assertThat(h.getDescription()).isEqualTo("a cited one");
            assertThat(context.evidenceIds()).containsAll(h.getEvidenceIds());
        });
        assertThat(answer.actions()).isEmpty();
        assertThat(answer.dropped()).isEqualTo(5);
    }

    @Test
    void shouldAnswerARepeatedPromptFromTheCacheWithoutBilling() {
        final LlmAnalyst analyst = analyst(settings("primary", 0, Duration.ofSeconds(5), 0));

        final AnalystAnswer first = analyst.analyse(context);
        final AnalystAnswer second = analyst.analyse(context);

        assertThat(fake.served()).isEqualTo(1);
        assertThat(first.cacheWrite()).isNotNull();
        assertThat(second.hypotheses()).isEqualTo(first.hypotheses());
        assertThat(second.calls()).singleElement().satisfies(c -> {
            assertThat(c.cached()).isTrue();
            assertThat(c.inputTokens() + c.outputTokens()).isZero();
            assertThat(c.costUsd()).isZero();
        });
    }

    @Test
    void shouldNotReuseAnswersSampledAtHighTemperature() {
        final LlmAnalyst analyst = analyst(settings("primary", 0, Duration.ofSeconds(5), 0.7));

        analyst.analyse(context);
        analyst.analyse(context);

        assertThat(fake.served()).isEqualTo(2);
    }

    @Test
    void shouldUseTheOfflineAnalystPastAHardBudgetWithoutCallingTheProvider() {
        final BudgetGuard budgets = new BudgetGuard(() -> Map.of("global", budget("global", BudgetStatus.HARD_EXCEEDED)));

        final AnalystAnswer answer = analyst(settings("primary", 0, Duration.ofSeconds(5), 0), budgets).analyse(context);

        assertThat(fake.served()).isZero();
        assertThat(answer.analyst()).isEqualTo(OfflineAnalyst.NAME);
        assertThat(answer.degradedReason()).isEqualTo("budget_exceeded");
    }

    @Test
    void shouldUseTheCheapModelsPastASoftBudget() {
        final BudgetGuard budgets = new BudgetGuard(() -> Map.of("team:team-payments",
                budget("team:team-payments", BudgetStatus.SOFT_EXCEEDED)));

        final AnalystAnswer answer = analyst(settings("primary", 0, Duration.ofSeconds(5), 0), budgets).analyse(context);

        assertThat(fake.requests()).extracting(LlmAnalystTest::model).containsExactly("cheap-model");
        assertThat(answer.model()).isEqualTo("cheap-model");
    }

    @Test
    void shouldStopCallingAProviderOnceItsCircuitOpens() {
        fake.defaultMode(Mode.SERVER_ERROR);
        final LlmAnalyst analyst = analyst(settings("primary", 0, Duration.ofSeconds(5), 0));

        AnalystAnswer last = null;
        for (int i = 0; i < 15; i++) {
            last = analyst.analyse(context);
        }

        assertThat(fake.served()).isEqualTo(10);
        assertThat(last.degradedReason()).isEqualTo("provider_unavailable");
        assertThat(last.actions()).extracting(a -> a.getActionType()).doesNotContain(ActionType.DELETE_POD);
    }

    @Test
    void shouldTalkToAnthropicThroughItsOwnClientAndRepairWithoutASchema() {
        fake.script(Mode.MALFORMED);
        final LlmSettings anthropic = new LlmSettings(List.of(new ModelSpec("anthropic", "claude-test",
                fake.baseUrl(), KEY)), List.of(), Duration.ofSeconds(5), 0, 0.0, 512, true, Duration.ofHours(1), false,
                Map.of(), Duration.ofMillis(20));

        final AnalystAnswer answer = analyst(anthropic).analyse(context);

        assertThat(fake.requests()).hasSize(2).allSatisfy(body -> assertThat(body).doesNotContain("json_schema"));
        assertThat(answer.analyst()).isEqualTo("anthropic:claude-test");
        assertThat(answer.degradedReason()).isNull();
        assertThat(answer.hypotheses()).extracting(Hypothesis::getService).containsExactly("payments-db");
        assertThat(answer.calls()).extracting(LlmCall::outcome).containsExactly("invalid_output", "ok");
        assertThat(answer.calls()).allSatisfy(c -> assertThat(c.estimated()).isFalse());
    }

    @Test
    void shouldSendNoSecretFromTheIncidentToTheProvider() {
        final IncidentContext hostile = ContextBuilder.build(aiops.analyzer.context.PromptRendererTest.hostile(),
                Fixtures.catalog(), List.of());
        fake.script(Mode.MALFORMED);

        analyst(settings("primary", 0, Duration.ofSeconds(5), 0)).analyse(hostile);

        assertThat(fake.requests()).hasSize(2).allSatisfy(body -> assertThat(body)
                .doesNotContain("hunter2secret", "jane.doe@example.com", "AKIAIOSFODNN7EXAMPLE")
                .contains("[REDACTED:"));
    }

    /** What the fake provider bills: message texts and schema, four characters a token. */
    static long expectedPromptTokens(final String body) {
        try {
            final var request = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
            long chars = request.path("response_format").toString().length();
            for (final var m : request.path("messages")) {
                chars += m.path("content").asText().length() + 4;
            }
            return chars / 4;
        } catch (final IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String model(final String body) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("model").asText();
        } catch (final IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static BudgetState budget(final String scope, final BudgetStatus status) {
        return BudgetState.newBuilder().setScope(scope).setPeriod("day").setPeriodStart(Fixtures.T0)
                .setLimitUsd(new BigDecimal("10.0000000000")).setSpentUsd(new BigDecimal("11.0000000000"))
                .setSoftRatio(0.8).setState(status).setUpdatedAt(Fixtures.T0).build();
    }
}
