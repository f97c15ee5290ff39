package aiops.analyzer.llm;

import aiops.analyzer.Analyst;
import aiops.analyzer.AnalystAnswer;
import aiops.analyzer.LlmCall;
import aiops.analyzer.budget.BudgetGuard;
import aiops.analyzer.cache.AnalysisCache;
import aiops.analyzer.context.IncidentContext;
import aiops.analyzer.context.PromptRenderer;
import aiops.avro.CachedAnswer;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Root-cause analysis by an LLM through langchain4j. Tries the configured models in order (the cheaper tier while a
 * budget is past its soft limit), each behind a circuit breaker and retries; one repair request per model when the
 * answer is unusable; the offline analyst answers, marked degraded with the reason, when no model could.
 */
public final class LlmAnalyst implements Analyst {

    private final LlmSettings settings;
    private final AnalysisCache cache;
    private final BudgetGuard budgets;
    private final Analyst fallback;
    private final Clock clock;
    private final ChatModels models;
    private final ResilientCaller caller;
    private final MeterRegistry metrics;

    public LlmAnalyst(final LlmSettings settings, final AnalysisCache cache, final BudgetGuard budgets,
                      final Analyst fallback, final MeterRegistry metrics, final Clock clock) {
        if (!settings.enabled()) {
            throw new IllegalArgumentException("no LLM model configured");
        }
        this.settings = settings;
        this.cache = cache;
        this.budgets = budgets;
        this.fallback = fallback;
        this.clock = clock;
        this.models = new ChatModels(settings);
        this.metrics = metrics;
        this.caller = new ResilientCaller(settings, CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowSize(20).minimumNumberOfCalls(10).failureRateThreshold(50)
                .waitDurationInOpenState(java.time.Duration.ofSeconds(30)).permittedNumberOfCallsInHalfOpenState(2)
                .build()), metrics, clock);
    }

    @Override
    public AnalystAnswer analyse(final IncidentContext context) {
        final List<String> services = context.incident().getServices();
        final List<String> teams = services.stream().map(context.catalog()::entry).flatMap(Optional::stream)
                .map(e -> e.getTeam() != null ? e.getTeam() : e.getOwner()).filter(t -> t != null).distinct().toList();
        final BudgetGuard.Decision budget = budgets.decide(services, teams);
        if (budget.allowance() == BudgetGuard.Allowance.NONE) {
            return fallback.analyse(context).degraded("budget_exceeded", List.of());
        }
        final List<ModelSpec> chain = (budget.allowance() == BudgetGuard.Allowance.CHEAP
                && !settings.cheapModels().isEmpty() ? settings.cheapModels() : settings.models())
                .stream().filter(m -> budgets.modelAllowed(m.model())).toList();
        if (chain.isEmpty()) {
            return fallback.analyse(context).degraded("budget_exceeded", List.of());
        }
        final PromptRenderer.Prompt prompt = PromptRenderer.render(context);
        final List<LlmCall> calls = new ArrayList<>();
        String reason = "provider_error";
        for (final ModelSpec spec : chain) {
            final String key = AnalysisCache.key(prompt.system() + "\n" + prompt.user(), spec.id(), parameters(spec),
                    PromptRenderer.PROMPT_VERSION);
            if (settings.cacheable()) {
                final Optional<AnalystAnswer> hit = fromCache(key, spec, context, calls);
                if (hit.isPresent()) {
                    return hit.get();
                }
            }
            try {
                final List<ChatMessage> messages = new ArrayList<>(List.of(SystemMessage.from(prompt.system()),
                        UserMessage.from(prompt.user())));
                String text = call(spec, messages, "analysis", prompt.chars(), calls);
                AnswerParser.Parsed parsed;
                try {
                    parsed = AnswerParser.parse(text, context);
                } catch (final AnswerParser.InvalidAnswer first) {
                    markLast(calls, "invalid_output");
                    messages.add(AiMessage.from(text));
                    messages.add(UserMessage.from(PromptRenderer.repair(first.getMessage())));
                    text = call(spec, messages, "repair", prompt.chars() + text.length(), calls);
                    try {
                        parsed = AnswerParser.parse(text, context);
                    } catch (final AnswerParser.InvalidAnswer second) {
                        markLast(calls, "invalid_output");
                        reason = "invalid_output";
                        continue;
                    }
                }
                counter("aiops.analyzer.dropped", spec).increment(parsed.dropped());
                final CachedAnswer write = CachedAnswer.newBuilder().setCacheKey(key).setProvider(spec.provider())
                        .setModel(spec.model()).setAnswer(text).setCreatedAt(clock.instant()).build();
                if (settings.cacheable()) {
                    cache.put(write);
                }
                return answer(spec, parsed, calls, settings.cacheable() ? write : null);
            } catch (final CallNotPermittedException e) {
                reason = "provider_unavailable";
            } catch (final RuntimeException e) {
                reason = ResilientCaller.reason(e);
            }
        }
        return fallback.analyse(context).degraded(reason, calls);
    }

    private Optional<AnalystAnswer> fromCache(final String key, final ModelSpec spec, final IncidentContext context,
                                              final List<LlmCall> calls) {
        final Optional<CachedAnswer> cached = cache.get(key);
        if (cached.isEmpty()) {
            return Optional.empty();
        }
        try {
            final AnswerParser.Parsed parsed = AnswerParser.parse(cached.get().getAnswer(), context);
            calls.add(LlmCall.cacheHit(spec.provider(), spec.model(), clock.millis()));
            return Optional.of(answer(spec, parsed, calls, null));
        } catch (final AnswerParser.InvalidAnswer e) {
            return Optional.empty();
        }
    }

    private String call(final ModelSpec spec, final List<ChatMessage> messages, final String purpose,
                        final long promptChars, final List<LlmCall> calls) {
        final ChatRequest.Builder request = ChatRequest.builder().messages(List.copyOf(messages))
                .temperature(settings.temperature()).maxOutputTokens(settings.maxOutputTokens());
        if (models.schemaConstrained(spec)) {
            request.responseFormat(ChatModels.ANSWER_FORMAT);
        }
        final ChatResponse response = caller.call(spec, models.get(spec), request.build(), purpose, promptChars, calls);
        return response.aiMessage() == null || response.aiMessage().text() == null ? "" : response.aiMessage().text();
    }

    private AnalystAnswer answer(final ModelSpec spec, final AnswerParser.Parsed parsed, final List<LlmCall> calls,
                                 final CachedAnswer write) {
        return new AnalystAnswer(spec.id(), spec.provider(), spec.model(), parsed.summary(), parsed.hypotheses(),
                parsed.actions(), calls, null, parsed.dropped()).withCacheWrite(write);
    }

    private String parameters(final ModelSpec spec) {
        return "temperature=" + settings.temperature() + ";max_tokens=" + settings.maxOutputTokens() + ";schema="
                + models.schemaConstrained(spec);
    }

    private static void markLast(final List<LlmCall> calls, final String outcome) {
        if (!calls.isEmpty()) {
            final LlmCall c = calls.remove(calls.size() - 1);
            calls.add(new LlmCall(c.provider(), c.model(), c.purpose(), c.inputTokens(), c.outputTokens(),
                    c.cachedInputTokens(), c.latencyMs(), outcome, c.cached(), c.estimated(), c.costUsd(), c.occurredAt()));
        }
    }

    private Counter counter(final String name, final ModelSpec spec) {
        return Counter.builder(name).tag("model", spec.id()).register(metrics);
    }
}
