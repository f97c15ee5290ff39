package aiops.remediator.plan;

import aiops.avro.ActionType;
import aiops.avro.Analysis;
import aiops.avro.ProposedAction;
import aiops.avro.ServiceEntry;
import aiops.avro.Severity;
import aiops.remediator.RemediatorSettings;
import aiops.remediator.policy.PolicyDecision;
import aiops.remediator.policy.PolicyEngine;
import aiops.remediator.policy.RemediationPolicy;
import aiops.remediator.store.ActionState;
import aiops.remediator.store.RemediationAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Turns one proposed action into a judged {@link RemediationAction}: its idempotency key, the workload from the
 * catalogue, and the policy's verdict. Nothing the analysis carries (and so nothing an alert or log line said) decides
 * a target, a URL or a mode: those come from the catalogue, the configuration and the policy.
 */
public final class ActionPlanner {

    /** The verdict for one action: the state it goes to and why. */
    public record Judged(RemediationAction action, ActionState state, String reason) {
    }

    /**
     * Where a proposal came from: an analysis of an incident version, or a capacity forecast (incident
     * {@code capacity:<service>}, version = the forecast's origin hour).
     */
    public record Origin(String incidentId, String analysisId, int version, String proposer, String replayRunId,
                         String traceParent) {

        public static Origin of(final Analysis a) {
            return new Origin(a.getIncidentId(), a.getAnalysisId(), a.getIncidentVersion(), a.getAnalyst(),
                    a.getReplayRunId(), a.getTraceParent());
        }
    }

    private static final Map<ActionType, Set<String>> PARAMETERS = Map.of(
            ActionType.RESTART_DEPLOYMENT, Set.of(),
            ActionType.SCALE_DEPLOYMENT, Set.of("replicas_delta", "replicas"),
            ActionType.ROLLBACK_DEPLOYMENT, Set.of("revision"),
            ActionType.DELETE_POD, Set.of("pod"),
            ActionType.WEBHOOK, Set.of("webhook"),
            ActionType.NONE, Set.of());

    private final PolicyEngine engine;
    private final RemediatorSettings settings;

    public ActionPlanner(final RemediatorSettings settings) {
        this.settings = settings;
        this.engine = new PolicyEngine(settings.policy());
    }

    public PolicyEngine engine() {
        return engine;
    }

    public Judged judge(final Analysis analysis, final ProposedAction proposed, final Severity severity,
                        final Function<String, ServiceEntry> catalog, final PolicyEngine.History history,
                        final Instant now) {
        return judge(Origin.of(analysis), proposed, severity, catalog, history, now);
    }

    public Judged judge(final Origin analysis, final ProposedAction proposed, final Severity severity,
                        final Function<String, ServiceEntry> catalog, final PolicyEngine.History history,
                        final Instant now) {
        final ServiceEntry entry = catalog.apply(proposed.getService());
        final PolicyDecision decision = engine.decide(proposed, entry, severity, history, now);
        final RemediationPolicy.Bounds b = decision.bounds();
        final Map<String, Integer> bounds = new HashMap<>();
        if (b != null && b.maxReplicas() != null) {
            bounds.put("max_replicas", b.maxReplicas());
        }
        if (b != null && b.minReplicas() != null) {
            bounds.put("min_replicas", b.minReplicas());
        }
        if (proposed.getActionType() == ActionType.SCALE_DEPLOYMENT) {
            bounds.put("max_replicas_delta", PolicyEngine.maxDelta(b));
        }
        final String mode = decision.mode() == null ? "refused" : modeName(decision.mode());
        final RemediationAction action = new RemediationAction(actionId(analysis.incidentId(),
                analysis.version(), proposed), analysis.incidentId(), analysis.analysisId(),
                analysis.version(), proposed.getActionType(), proposed.getService(),
                entry == null ? null : entry.getKubernetes(), Map.copyOf(proposed.getParameters()), Map.copyOf(bounds),
                mode, decision.rule(), ActionState.PLANNED, "proposed by " + analysis.proposer() + ": "
                + proposed.getRationale(), null, Map.of(), null, analysis.replayRunId(), analysis.traceParent(),
                now, now, null, null, null);
        final String parameterProblem = parameterProblem(proposed);
        if (parameterProblem != null) {
            return new Judged(action, ActionState.REFUSED, parameterProblem);
        }
        if (!decision.allowed()) {
            return new Judged(action, ActionState.REFUSED, decision.reason());
        }
        if (!settings.sideEffectsAllowed(analysis.replayRunId())) {
            return new Judged(action, ActionState.DRY_RUN, "replay run " + analysis.replayRunId()
                    + " is dry-run only; " + decision.reason() + "; would " + action.describe());
        }
        return switch (decision.mode()) {
            case DRY_RUN -> new Judged(action, ActionState.DRY_RUN, decision.reason() + "; would " + action.describe());
            case APPROVE -> new Judged(withExpiry(action, now.plus(settings.approvalTtl())), ActionState.PENDING_APPROVAL,
                    decision.reason() + "; waits for approval until " + now.plus(settings.approvalTtl()));
            case AUTO -> new Judged(action, ActionState.APPROVED, decision.reason());
        };
    }

    /**
     * A proposal a person made through an AI client: judged like any other, but a rule's {@code auto} mode only makes
     * it wait for approval, so nothing typed into a chat runs without a second person.
     */
    public Judged judgeProposal(final Origin origin, final ProposedAction proposed, final Severity severity,
                                final Function<String, ServiceEntry> catalog, final PolicyEngine.History history,
                                final Instant now) {
        final Judged judged = judge(origin, proposed, severity, catalog, history, now);
        if (judged.state() != ActionState.APPROVED) {
            return judged;
        }
        return new Judged(withExpiry(judged.action(), now.plus(settings.approvalTtl())), ActionState.PENDING_APPROVAL,
                judged.reason() + "; proposed through an AI client, so it waits for approval until "
                        + now.plus(settings.approvalTtl()));
    }

    private String parameterProblem(final ProposedAction proposed) {
        final Set<String> known = PARAMETERS.get(proposed.getActionType());
        for (final String name : proposed.getParameters().keySet()) {
            if (!known.contains(name)) {
                return "unknown parameter '" + name + "' for " + proposed.getActionType();
            }
        }
        final Map<String, String> p = proposed.getParameters();
        if (p.containsKey("replicas") && !p.get("replicas").matches("\\d{1,4}")) {
            return "replicas must be a whole number";
        }
        if (p.containsKey("revision") && !p.get("revision").matches("\\d{1,9}")) {
            return "revision must be a whole number";
        }
        if (p.containsKey("pod") && !p.get("pod").matches("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?")) {
            return "pod must be a Kubernetes object name";
        }
        if (proposed.getActionType() == ActionType.WEBHOOK) {
            final String name = p.get("webhook");
            if (name == null || !settings.webhookUrls().containsKey(name)) {
                return "webhook '" + name + "' is not one of the configured endpoints " + settings.webhookUrls().keySet();
            }
        }
        return null;
    }

    private static RemediationAction withExpiry(final RemediationAction a, final Instant expires) {
        return new RemediationAction(a.actionId(), a.incidentId(), a.analysisId(), a.incidentVersion(), a.type(),
                a.service(), a.target(), a.parameters(), a.bounds(), a.mode(), a.rule(), a.state(), a.reason(),
                a.actor(), a.plan(), a.executor(), a.replayRun(), a.traceParent(), a.createdAt(), a.updatedAt(),
                expires, a.startedAt(), a.finishedAt());
    }

    static String modeName(final RemediationPolicy.Mode mode) {
        return switch (mode) {
            case DRY_RUN -> "dry-run";
            case APPROVE -> "approve";
            case AUTO -> "auto";
        };
    }

    /** {@code act-} + hash of incident, analysed version, action type, target service and sorted parameters. */
    public static String actionId(final String incidentId, final int version, final ProposedAction action) {
        final StringBuilder text = new StringBuilder().append(incidentId).append('\n').append(version).append('\n')
                .append(action.getActionType()).append('\n').append(action.getService());
        new TreeMap<>(action.getParameters()).forEach((k, v) -> text.append('\n').append(k).append('=').append(v));
        try {
            final byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return "act-" + HexFormat.of().formatHex(hash, 0, 12);
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
