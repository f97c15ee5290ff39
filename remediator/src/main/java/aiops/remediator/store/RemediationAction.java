package aiops.remediator.store;

import aiops.avro.ActionType;
import aiops.avro.KubernetesTarget;
import java.time.Instant;
import java.util.Map;

/**
 * One action as the remediator holds it.
 *
 * @param target     the workload, always taken from the catalogue (never from the analysis)
 * @param bounds     the deciding rule's replica bounds ({@code min_replicas}, {@code max_replicas}), for the executor
 * @param plan       what the executor resolved before touching anything (target replicas, revision, pod, restart time)
 */
public record RemediationAction(String actionId, String incidentId, String analysisId, int incidentVersion,
                                ActionType type, String service, KubernetesTarget target, Map<String, String> parameters,
                                Map<String, Integer> bounds, String mode, String rule, ActionState state, String reason,
                                String actor, Map<String, String> plan, String executor, String replayRun,
                                String traceParent, Instant createdAt, Instant updatedAt, Instant expiresAt,
                                Instant startedAt, Instant finishedAt) {

    public RemediationAction withPlan(final Map<String, String> p) {
        return new RemediationAction(actionId, incidentId, analysisId, incidentVersion, type, service, target,
                parameters, bounds, mode, rule, state, reason, actor, Map.copyOf(p), executor, replayRun, traceParent,
                createdAt, updatedAt, expiresAt, startedAt, finishedAt);
    }

    /** {@code restart deployment shop/checkout}, for reasons and messages. */
    public String describe() {
        final String what = switch (type) {
            case RESTART_DEPLOYMENT -> "restart deployment";
            case SCALE_DEPLOYMENT -> "scale deployment";
            case ROLLBACK_DEPLOYMENT -> "roll back deployment";
            case DELETE_POD -> "delete a pod of deployment";
            case WEBHOOK -> "call webhook " + parameters.getOrDefault("webhook", "?") + " for";
            case NONE -> "observe";
        };
        final String on = target == null ? service : target.getNamespace() + "/" + target.getDeployment();
        final String params = parameters.isEmpty() || type == ActionType.WEBHOOK ? "" : " " + parameters;
        return what + " " + on + params;
    }
}
