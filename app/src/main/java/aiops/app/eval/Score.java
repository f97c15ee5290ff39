package aiops.app.eval;

import aiops.avro.Analysis;
import aiops.avro.Hypothesis;
import aiops.avro.LlmUsage;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Root-cause hits and LLM spend accumulated over the scenarios of one evaluation. */
final class Score {

    int top1;
    int top3;
    long llmCalls;
    long promptTokens;
    long completionTokens;
    BigDecimal costUsd = BigDecimal.ZERO;
    String analyst = "none";

    void rootCauses(final List<Truth.Expected> truth, final Map<String, String> pairs,
                    final Map<String, Analysis> analyses) {
        for (final Truth.Expected expected : truth) {
            final String formed = pairs.get(expected.id());
            final Analysis analysis = formed == null ? null : analyses.get(formed);
            if (analysis == null) {
                continue;
            }
            final List<String> ranked = analysis.getHypotheses().stream().map(Hypothesis::getService).toList();
            final String root = expected.rootService();
            if (!ranked.isEmpty() && ranked.get(0).equals(root)) {
                top1++;
            }
            if (ranked.stream().limit(3).anyMatch(root::equals)) {
                top3++;
            }
        }
    }

    /** Billed calls only: cache hits cost nothing and are not calls. */
    void usage(final List<LlmUsage> usages) {
        for (final LlmUsage u : usages) {
            if (u.getCached()) {
                continue;
            }
            llmCalls++;
            promptTokens += u.getInputTokens() + u.getCachedInputTokens();
            completionTokens += u.getOutputTokens();
            if (u.getCostUsd() != null) {
                costUsd = costUsd.add(u.getCostUsd());
            }
        }
    }

    static String ranking(final Analysis analysis) {
        if (analysis == null) {
            return "(not analysed)";
        }
        return analysis.getHypotheses().stream().map(h -> h.getService() + " " + h.getFault() + " "
                + String.format(java.util.Locale.ROOT, "%.2f", h.getConfidence())).collect(Collectors.joining(" | "))
                + " [" + analysis.getAnalyst() + (analysis.getDegraded() ? ", degraded: " + analysis.getDegradedReason() : "")
                + "]";
    }
}
