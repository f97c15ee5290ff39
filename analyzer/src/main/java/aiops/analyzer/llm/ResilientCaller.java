package aiops.analyzer.llm;

import aiops.analyzer.LlmCall;
import aiops.analyzer.context.PromptRenderer;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.TokenUsage;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One chat call behind a circuit breaker (per model) and retries (429, 5xx, timeouts) that wait as long as the
 * provider's {@code Retry-After} asks, else back off exponentially with jitter. Every attempt the provider bills is
 * recorded as an {@link LlmCall}: answered ones with the provider's usage (estimated and flagged when missing),
 * timed-out ones with the prompt estimate, since the provider may have processed them.
 */
final class ResilientCaller {

    static final Duration MAX_WAIT = Duration.ofSeconds(60);

    private final LlmSettings settings;
    private final CircuitBreakerRegistry breakers;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final RetryConfig retryConfig;

    ResilientCaller(final LlmSettings settings, final CircuitBreakerRegistry breakers, final MeterRegistry metrics,
                    final Clock clock) {
        this.settings = settings;
        this.breakers = breakers;
        this.metrics = metrics;
        this.clock = clock;
        final IntervalBiFunction<Object> interval = (attempt, outcome) -> outcome.isLeft()
                ? providerError(outcome.getLeft()).flatMap(ProviderHttpException::retryAfter)
                        .map(d -> Math.min(d.toMillis(), MAX_WAIT.toMillis())).orElseGet(() -> backoff(attempt))
                : backoff(attempt);
        this.retryConfig = RetryConfig.custom().maxAttempts(1 + settings.maxRetries())
                .retryOnException(ResilientCaller::retriable).intervalBiFunction(interval).build();
    }

    ChatResponse call(final ModelSpec spec, final ChatModel model, final ChatRequest request, final String purpose,
                      final long promptChars, final List<LlmCall> calls) {
        final CircuitBreaker breaker = breakers.circuitBreaker(spec.id());
        final Retry retry = Retry.of(spec.id() + "/" + purpose, retryConfig);
        return Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(breaker,
                () -> attempt(spec, model, request, purpose, promptChars, calls))).get();
    }

    private ChatResponse attempt(final ModelSpec spec, final ChatModel model, final ChatRequest request,
                                 final String purpose, final long promptChars, final List<LlmCall> calls) {
        final long started = System.nanoTime();
        final long at = clock.millis();
        try {
            final ChatResponse response = model.chat(request);
            final long latency = (System.nanoTime() - started) / 1_000_000;
            final String text = response.aiMessage() == null ? "" : String.valueOf(response.aiMessage().text());
            final TokenUsage usage = response.tokenUsage();
            final boolean estimated = usage == null || usage.inputTokenCount() == null || usage.outputTokenCount() == null;
            final long input = estimated ? PromptRenderer.Prompt.tokens(promptChars) : usage.inputTokenCount();
            final long output = estimated ? PromptRenderer.Prompt.tokens(text.length()) : usage.outputTokenCount();
            final long cachedInput = usage instanceof OpenAiTokenUsage o && o.inputTokensDetails() != null
                    && o.inputTokensDetails().cachedTokens() != null ? o.inputTokensDetails().cachedTokens() : 0;
            calls.add(new LlmCall(spec.provider(), spec.model(), purpose, input - cachedInput, output, cachedInput,
                    latency, "ok", false, estimated, settings.estimate(spec.model(), input, output), at));
            count(spec, "ok");
            return response;
        } catch (final RuntimeException e) {
            final String outcome = reason(e);
            count(spec, outcome);
            if (outcome.equals("timeout")) {
                final long input = PromptRenderer.Prompt.tokens(promptChars);
                calls.add(new LlmCall(spec.provider(), spec.model(), purpose, input, 0, 0,
                        (System.nanoTime() - started) / 1_000_000, "timeout", false, true,
                        settings.estimate(spec.model(), input, 0), at));
            }
            throw e;
        }
    }

    private long backoff(final int attempt) {
        final long base = settings.baseBackoff().toMillis() << Math.min(attempt - 1, 10);
        return Math.min(MAX_WAIT.toMillis(), base + ThreadLocalRandom.current().nextLong(Math.max(1, base / 4)));
    }

    private void count(final ModelSpec spec, final String outcome) {
        Counter.builder("aiops.analyzer.llm.calls").tag("model", spec.id()).tag("outcome", outcome).register(metrics)
                .increment();
    }

    static boolean retriable(final Throwable e) {
        if (e instanceof RateLimitException || e instanceof InternalServerException || e instanceof TimeoutException
                || e instanceof UncheckedIOException) {
            return true;
        }
        return providerError(e).map(p -> p.statusCode() == 429 || p.statusCode() >= 500).orElse(false);
    }

    /** The outcome name of a failed call: timeout, rate_limited or error. */
    static String reason(final Throwable e) {
        if (e instanceof TimeoutException || causedBy(e, java.net.http.HttpTimeoutException.class)) {
            return "timeout";
        }
        final Optional<ProviderHttpException> http = providerError(e);
        if (e instanceof RateLimitException || http.map(p -> p.statusCode() == 429).orElse(false)) {
            return "rate_limited";
        }
        return "provider_error";
    }

    static Optional<ProviderHttpException> providerError(final Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProviderHttpException p) {
                return Optional.of(p);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Optional.empty();
    }

    private static boolean causedBy(final Throwable e, final Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
