package aiops.app.replay;

import aiops.avro.Analysis;
import aiops.avro.Incident;
import aiops.avro.IncidentAlert;
import aiops.avro.LlmUsage;
import aiops.avro.RemediationEvent;
import aiops.common.kafka.KafkaSettings;
import aiops.common.kafka.TopicSnapshot;
import aiops.schemas.Topics;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What the pipeline made of one replay run, read back from the topics: the latest version of each of its incidents,
 * the latest analysis of each, the billed LLM calls per incident, and the remediation events.
 */
public record RunResults(String runId, Map<String, Incident> incidents, Map<String, Analysis> analyses,
                         Map<String, Spend> spend, Map<String, List<RemediationEvent>> remediations) {

    /** Billed calls of one incident (cache hits cost nothing and are not calls). */
    public record Spend(long calls, long inputTokens, long outputTokens, BigDecimal costUsd) {
        static final Spend NONE = new Spend(0, 0, 0, BigDecimal.ZERO);

        Spend plus(final LlmUsage u) {
            return new Spend(calls + 1, inputTokens + u.getInputTokens() + u.getCachedInputTokens(),
                    outputTokens + u.getOutputTokens(), u.getCostUsd() == null ? costUsd : costUsd.add(u.getCostUsd()));
        }

        Spend plus(final Spend other) {
            return new Spend(calls + other.calls, inputTokens + other.inputTokens, outputTokens + other.outputTokens,
                    costUsd.add(other.costUsd));
        }
    }

    public Spend totalSpend() {
        return spend.values().stream().reduce(Spend.NONE, Spend::plus);
    }

    /** Results of every run accepted by {@code runs}, by run id (live traffic is never included). */
    public static Map<String, RunResults> read(final KafkaSettings kafka, final Predicate<String> runs) {
        final Map<String, RunResults> out = new LinkedHashMap<>();
        final java.util.function.Function<String, RunResults> of = run -> out.computeIfAbsent(run,
                r -> new RunResults(r, new LinkedHashMap<>(), new HashMap<>(), new HashMap<>(), new HashMap<>()));
        TopicSnapshot.values(kafka, Topics.INCIDENTS).forEach(i -> {
            if (accepted(i.getReplayRunId(), runs)) {
                of.apply(i.getReplayRunId()).incidents().merge(i.getIncidentId(), i,
                        (a, b) -> b.getVersion() >= a.getVersion() ? b : a);
            }
        });
        TopicSnapshot.values(kafka, Topics.ANALYSES).forEach(a -> {
            if (accepted(a.getReplayRunId(), runs)) {
                of.apply(a.getReplayRunId()).analyses().merge(a.getIncidentId(), a,
                        (x, y) -> y.getIncidentVersion() >= x.getIncidentVersion() ? y : x);
            }
        });
        TopicSnapshot.values(kafka, Topics.LLM_USAGE).forEach(u -> {
            if (accepted(u.getReplayRunId(), runs) && !u.getCached() && u.getIncidentId() != null) {
                of.apply(u.getReplayRunId()).spend().merge(u.getIncidentId(), Spend.NONE.plus(u), Spend::plus);
            }
        });
        TopicSnapshot.values(kafka, Topics.REMEDIATIONS).forEach(e -> {
            if (accepted(e.getReplayRunId(), runs)) {
                of.apply(e.getReplayRunId()).remediations().computeIfAbsent(e.getIncidentId(), k -> new ArrayList<>())
                        .add(e);
            }
        });
        return out;
    }

    private static boolean accepted(final String run, final Predicate<String> runs) {
        return run != null && runs.test(run);
    }

    /**
     * The same incident in another run of the same signals: the scenario part of the run id, the alert that opened
     * it and when. Incident ids differ between runs by design; this does not.
     */
    public static String origin(final Incident incident, final String scenarioPart) {
        final IncidentAlert opener = incident.getAlerts().stream()
                .min(Comparator.comparing(IncidentAlert::getFirstSeen).thenComparing(IncidentAlert::getFingerprint))
                .orElse(null);
        return scenarioPart + "/" + (opener == null ? incident.getTitle() : opener.getFingerprint()) + "@"
                + incident.getOpenedAt();
    }
}
