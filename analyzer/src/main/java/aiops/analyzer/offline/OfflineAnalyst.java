package aiops.analyzer.offline;

import aiops.analyzer.Analyst;
import aiops.analyzer.AnalystAnswer;
import aiops.analyzer.context.IncidentContext;
import aiops.analyzer.context.SimilarIncident;
import aiops.avro.ActionType;
import aiops.avro.Evidence;
import aiops.avro.Hypothesis;
import aiops.avro.IncidentAlert;
import aiops.avro.ProposedAction;
import aiops.avro.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Deterministic root-cause ranking without an LLM. Each service of the incident is scored on how much of the
 * incident depends on it (the callee others call), how early it went wrong, how severe its alerts are, whether its
 * alerts and anomalies carry a known fault signature, and how large its anomalies are; similar past incidents add
 * weight to the root cause they had.
 */
public final class OfflineAnalyst implements Analyst {

    public static final String NAME = "offline";
    static final int MAX_HOPS = 3;
    static final int MAX_HYPOTHESES = 3;

    /** One service's case for being the root cause. */
    record Candidate(String service, double score, String fault, List<String> evidenceIds, String why) {
    }

    @Override
    public AnalystAnswer analyse(final IncidentContext context) {
        final List<String> services = context.incident().getServices();
        final Map<String, List<Evidence>> byService = context.evidenceByService();
        final Map<String, Instant> onset = onsets(context);
        final List<String> byOnset = services.stream().sorted(Comparator.comparing(
                (String s) -> onset.getOrDefault(s, Instant.MAX)).thenComparing(s -> s)).toList();
        final List<Candidate> candidates = new ArrayList<>();
        for (final String service : services) {
            final List<Evidence> facts = byService.getOrDefault(service, List.of());
            final int dependants = context.catalog().dependants(service, services, MAX_HOPS);
            final double topology = services.size() <= 1 ? 1.0 : (double) dependants / (services.size() - 1);
            final double early = services.size() <= 1 ? 1.0
                    : 1.0 - (double) byOnset.indexOf(service) / (services.size() - 1);
            final double severity = severity(context, service);
            final Optional<FaultSignatures.Signature> signature = facts.stream()
                    .filter(e -> !e.getKind().equals("topology") && !e.getKind().equals("runbook"))
                    .map(e -> FaultSignatures.cause(e.getSummary())).flatMap(Optional::stream).findFirst();
            // Anomaly size in sigmas (or burst ratio), saturating at 10.
            final double anomaly = context.incident().getAnomalies().stream()
                    .filter(a -> a.getService().equals(service))
                    .mapToDouble(a -> Math.min(1.0, Math.abs(a.getScore()) / 10.0)).max().orElse(0);
            final double precedent = context.similar().stream().filter(s -> s.rootService().equals(service))
                    .mapToDouble(SimilarIncident::score).max().orElse(0);
            final double score = 0.35 * topology + 0.2 * early + 0.15 * severity + 0.15 * (signature.isPresent() ? 1 : 0)
                    + 0.1 * anomaly + 0.05 * precedent;
            final String fault = signature.map(FaultSignatures.Signature::fault)
                    .orElse(dependants > 0 ? "service_degradation" : "unknown");
            final List<String> cited = facts.stream().filter(e -> !e.getKind().equals("runbook"))
                    .map(Evidence::getId).limit(6).toList();
            final String standing = services.size() == 1 ? "the only service in the incident"
                    : String.format(Locale.ROOT, "%d of the other %d services depend on %s; onset rank %d of %d",
                            dependants, services.size() - 1, service, byOnset.indexOf(service) + 1, services.size());
            candidates.add(new Candidate(service, score, fault, cited, standing
                    + signature.map(s -> "; shows the " + s.fault() + " signature").orElse("")));
        }
        candidates.sort(Comparator.comparingDouble((Candidate c) -> -c.score()).thenComparing(Candidate::service));
        final double total = candidates.stream().limit(MAX_HYPOTHESES).mapToDouble(Candidate::score).sum();
        final List<Hypothesis> hypotheses = new ArrayList<>();
        for (int i = 0; i < Math.min(MAX_HYPOTHESES, candidates.size()); i++) {
            final Candidate c = candidates.get(i);
            hypotheses.add(Hypothesis.newBuilder().setRank(i + 1).setService(c.service()).setFault(c.fault())
                    .setDescription(c.why()).setConfidence(round(total == 0 ? 0 : c.score() / total))
                    .setEvidenceIds(c.evidenceIds()).build());
        }
        final List<ProposedAction> actions = hypotheses.isEmpty() ? List.of() : actions(context, hypotheses.get(0));
        final String summary = hypotheses.isEmpty() ? "No services to rank." : String.format(Locale.ROOT,
                "Most likely root cause: %s (%s). %s.", hypotheses.get(0).getService(), hypotheses.get(0).getFault(),
                hypotheses.get(0).getDescription());
        return new AnalystAnswer(NAME, null, null, summary, hypotheses, actions, List.of(), null, 0);
    }

    static List<ProposedAction> actions(final IncidentContext context, final Hypothesis top) {
        final FaultSignatures.Signature signature = FaultSignatures.byFault(top.getFault()).orElse(null);
        if (signature == null || signature.action() == ActionType.NONE
                || !context.actionTargets().contains(top.getService())) {
            return List.of(ProposedAction.newBuilder().setActionType(ActionType.NONE).setService(top.getService())
                    .setRationale(signature == null ? "no known remedy; a person should look"
                            : signature.advice() + " (outside what automation may do)")
                    .setHypothesisRank(top.getRank()).build());
        }
        final Map<String, String> parameters = new LinkedHashMap<>();
        if (signature.action() == ActionType.SCALE_DEPLOYMENT) {
            parameters.put("replicas_delta", "1");
        }
        return List.of(ProposedAction.newBuilder().setActionType(signature.action()).setService(top.getService())
                .setParameters(parameters).setRationale(signature.advice()).setHypothesisRank(top.getRank()).build());
    }

    private static Map<String, Instant> onsets(final IncidentContext context) {
        final Map<String, Instant> onset = new LinkedHashMap<>();
        for (final IncidentAlert a : context.incident().getAlerts()) {
            onset.merge(a.getService(), a.getFirstSeen(), (x, y) -> x.isBefore(y) ? x : y);
        }
        context.incident().getAnomalies().forEach(a -> onset.merge(a.getService(), a.getDetectedAt(),
                (x, y) -> x.isBefore(y) ? x : y));
        return onset;
    }

    private static double severity(final IncidentContext context, final String service) {
        return context.incident().getAlerts().stream().filter(a -> a.getService().equals(service))
                .map(IncidentAlert::getSeverity).mapToDouble(OfflineAnalyst::weight).max().orElse(0);
    }

    private static double weight(final Severity s) {
        return switch (s) {
            case CRITICAL -> 1.0;
            case HIGH -> 0.7;
            case WARNING -> 0.4;
            default -> 0.1;
        };
    }

    private static double round(final double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
