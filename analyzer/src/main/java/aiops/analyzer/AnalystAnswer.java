package aiops.analyzer;

import aiops.avro.CachedAnswer;
import aiops.avro.Hypothesis;
import aiops.avro.ProposedAction;
import java.util.List;

/**
 * What an analyst concluded, and what it cost.
 *
 * @param analyst        "offline" or provider/model
 * @param degradedReason null when the intended analyst answered; else why a fallback did
 * @param calls          every billed LLM call made for this answer, in order (cache hits included, unbilled)
 * @param dropped        hypotheses or actions removed because they cited unknown evidence or left the policy
 * @param cacheWrite     a fresh LLM answer to keep in the durable cache, or null
 */
public record AnalystAnswer(String analyst, String provider, String model, String summary,
                            List<Hypothesis> hypotheses, List<ProposedAction> actions, List<LlmCall> calls,
                            String degradedReason, int dropped, CachedAnswer cacheWrite) {

    public AnalystAnswer {
        hypotheses = List.copyOf(hypotheses);
        actions = List.copyOf(actions);
        calls = List.copyOf(calls);
    }

    public AnalystAnswer(final String analyst, final String provider, final String model, final String summary,
                         final List<Hypothesis> hypotheses, final List<ProposedAction> actions, final List<LlmCall> calls,
                         final String degradedReason, final int dropped) {
        this(analyst, provider, model, summary, hypotheses, actions, calls, degradedReason, dropped, null);
    }

    /** The same answer, with an answer to keep in the durable cache. */
    public AnalystAnswer withCacheWrite(final CachedAnswer write) {
        return new AnalystAnswer(analyst, provider, model, summary, hypotheses, actions, calls, degradedReason, dropped,
                write);
    }

    public AnalystAnswer degraded(final String reason, final List<LlmCall> earlierCalls) {
        final List<LlmCall> all = new java.util.ArrayList<>(earlierCalls);
        all.addAll(calls);
        return new AnalystAnswer(analyst, provider, model, summary, hypotheses, actions, all, reason, dropped, cacheWrite);
    }

    public long promptTokens() {
        return calls.stream().mapToLong(LlmCall::inputTokens).sum();
    }

    public long completionTokens() {
        return calls.stream().mapToLong(LlmCall::outputTokens).sum();
    }

    public long cachedTokens() {
        return calls.stream().mapToLong(LlmCall::cachedInputTokens).sum();
    }
}
