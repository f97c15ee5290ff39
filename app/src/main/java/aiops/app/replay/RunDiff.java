package aiops.app.replay;

import aiops.avro.Analysis;
import aiops.avro.Hypothesis;
import aiops.avro.Incident;
import aiops.avro.RemediationEvent;
import aiops.ingest.replay.RunIds;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Two replays of the same signals, incident by incident: what the candidate (a new model, prompt or policy) changed
 * against the baseline in root cause, confidence, actions, tokens and cost. Incidents pair up by origin (scenario,
 * opening alert, opening time), since incident ids differ between runs.
 */
public record RunDiff(Summary summary, List<Row> rows) {

    /** One incident in one run; {@code null} in a row when the other run has no such incident. */
    public record Side(String incidentId, String runId, int version, long signals, int anomalies, String rootCause,
                       double confidence, List<String> actions, String analyst, long tokens, BigDecimal costUsd) {
    }

    public record Row(String origin, String title, Side baseline, Side candidate, boolean rootCauseChanged,
                      boolean confidenceChanged, boolean actionsChanged) {
        public boolean changed() {
            return baseline == null || candidate == null || rootCauseChanged || confidenceChanged || actionsChanged;
        }
    }

    public record Summary(String baseline, String candidate, int baselineIncidents, int candidateIncidents,
                          int matched, int onlyInBaseline, int onlyInCandidate, int rootCauseChanged,
                          int actionsChanged, double baselineConfidence, double candidateConfidence,
                          long baselineTokens, long candidateTokens, BigDecimal baselineCostUsd,
                          BigDecimal candidateCostUsd) {
    }

    static final double CONFIDENCE_STEP = 0.01;

    /** @param runs the results of every run; those of each base run id (itself or its scenario runs) are compared */
    public static RunDiff of(final String baseline, final String candidate, final Map<String, RunResults> runs) {
        final Map<String, Side> a = sides(baseline, runs);
        final Map<String, Side> b = sides(candidate, runs);
        final Map<String, String> titles = titles(baseline, candidate, runs);
        final List<Row> rows = new ArrayList<>();
        final java.util.Set<String> origins = new java.util.TreeSet<>(a.keySet());
        origins.addAll(b.keySet());
        for (final String origin : origins) {
            final Side x = a.get(origin);
            final Side y = b.get(origin);
            final boolean both = x != null && y != null;
            rows.add(new Row(origin, titles.get(origin), x, y,
                    both && !java.util.Objects.equals(x.rootCause(), y.rootCause()),
                    both && Math.abs(x.confidence() - y.confidence()) >= CONFIDENCE_STEP,
                    both && !x.actions().equals(y.actions())));
        }
        final List<Row> matched = rows.stream().filter(r -> r.baseline() != null && r.candidate() != null).toList();
        return new RunDiff(new Summary(baseline, candidate, a.size(), b.size(), matched.size(),
                (int) rows.stream().filter(r -> r.candidate() == null).count(),
                (int) rows.stream().filter(r -> r.baseline() == null).count(),
                (int) matched.stream().filter(Row::rootCauseChanged).count(),
                (int) matched.stream().filter(Row::actionsChanged).count(),
                mean(a.values()), mean(b.values()),
                a.values().stream().mapToLong(Side::tokens).sum(), b.values().stream().mapToLong(Side::tokens).sum(),
                cost(a.values()), cost(b.values())), rows);
    }

    private static Map<String, Side> sides(final String base, final Map<String, RunResults> runs) {
        final Map<String, Side> out = new LinkedHashMap<>();
        runs.forEach((runId, results) -> {
            if (!RunIds.belongsTo(runId, base)) {
                return;
            }
            final String scenarioPart = runId.substring(base.length());
            for (final Incident incident : results.incidents().values()) {
                final Analysis analysis = results.analyses().get(incident.getIncidentId());
                final RunResults.Spend spend = results.spend().getOrDefault(incident.getIncidentId(),
                        RunResults.Spend.NONE);
                final Hypothesis top = analysis == null || analysis.getHypotheses().isEmpty() ? null
                        : analysis.getHypotheses().stream().min(Comparator.comparingInt(Hypothesis::getRank)).orElseThrow();
                out.put(RunResults.origin(incident, scenarioPart), new Side(incident.getIncidentId(), runId,
                        incident.getVersion(), incident.getSignalCount(), incident.getAnomalies().size(),
                        top == null ? null : top.getService() + "/" + top.getFault(),
                        top == null ? 0.0 : top.getConfidence(),
                        actions(analysis, results.remediations().getOrDefault(incident.getIncidentId(), List.of())),
                        analysis == null ? null : analysis.getAnalyst(), spend.inputTokens() + spend.outputTokens(),
                        spend.costUsd()));
            }
        });
        return out;
    }

    /** Proposed actions of the latest analysis, each with the last state the remediator gave it. */
    private static List<String> actions(final Analysis analysis, final List<RemediationEvent> events) {
        if (analysis == null) {
            return List.of();
        }
        final List<RemediationEvent> ordered = events.stream()
                .sorted(Comparator.comparing(RemediationEvent::getOccurredAt)).toList();
        return analysis.getActions().stream().map(p -> {
            final String what = p.getActionType() + " " + p.getService() + " " + new TreeMap<>(p.getParameters());
            final RemediationEvent e = ordered.stream()
                    .filter(x -> x.getActionType() == p.getActionType() && x.getService().equals(p.getService()))
                    .reduce((x, y) -> y).orElse(null);
            return (what.toLowerCase(java.util.Locale.ROOT) + (e == null ? "" : " -> " + e.getState())).trim();
        }).sorted().collect(Collectors.toList());
    }

    private static Map<String, String> titles(final String baseline, final String candidate,
                                              final Map<String, RunResults> runs) {
        final Map<String, String> out = new LinkedHashMap<>();
        for (final String base : List.of(candidate, baseline)) {
            runs.forEach((runId, results) -> {
                if (RunIds.belongsTo(runId, base)) {
                    results.incidents().values().forEach(i -> out.put(
                            RunResults.origin(i, runId.substring(base.length())), i.getTitle()));
                }
            });
        }
        return out;
    }

    private static double mean(final java.util.Collection<Side> sides) {
        return Math.round(1000.0 * sides.stream().mapToDouble(Side::confidence).average().orElse(0.0)) / 1000.0;
    }

    private static BigDecimal cost(final java.util.Collection<Side> sides) {
        return sides.stream().map(Side::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
