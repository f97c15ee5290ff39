package aiops.remediator.policy;

import aiops.avro.ActionType;
import aiops.avro.KubernetesTarget;
import aiops.avro.ProposedAction;
import aiops.avro.ServiceEntry;
import aiops.avro.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decides what may happen to one proposed action. Only the policy, the catalogue and the audit history decide: the
 * action's origin (an LLM answer shaped by alert and log text) can never widen anything. Checks, in order: the kill
 * switch; a catalogued Kubernetes workload for Kubernetes actions; the first matching rule (else the default mode);
 * that rule's parameter bounds; the per-service rate; concurrent actions; distinct services in the window.
 */
public final class PolicyEngine {

    /** Actions already taken or running, from the audit table. */
    public record History(List<Past> actions) {
        /** One earlier action. */
        public record Past(String service, Instant at, boolean running) {
        }

        public static History none() {
            return new History(List.of());
        }
    }

    private static final Set<ActionType> KUBERNETES = Set.of(ActionType.RESTART_DEPLOYMENT,
            ActionType.SCALE_DEPLOYMENT, ActionType.ROLLBACK_DEPLOYMENT, ActionType.DELETE_POD);

    private final RemediationPolicy policy;

    public PolicyEngine(final RemediationPolicy policy) {
        this.policy = policy;
    }

    public RemediationPolicy policy() {
        return policy;
    }

    public PolicyDecision decide(final ProposedAction action, final ServiceEntry service, final Severity severity,
                                 final History history, final Instant now) {
        if (Boolean.TRUE.equals(policy.killSwitch())) {
            return PolicyDecision.refuse("kill_switch", "the kill switch is on");
        }
        if (action.getActionType() == ActionType.NONE) {
            return new PolicyDecision(true, RemediationPolicy.Mode.DRY_RUN, Map.of(), "default", "observe only", null);
        }
        if (service == null) {
            return PolicyDecision.refuse("catalog", "service " + action.getService() + " is not in the catalogue");
        }
        final KubernetesTarget target = service.getKubernetes();
        if (KUBERNETES.contains(action.getActionType()) && target == null) {
            return PolicyDecision.refuse("catalog", "service " + service.getName() + " has no catalogued workload");
        }
        final RemediationPolicy.Rule rule = policy.rules().stream()
                .filter(r -> matches(r.match(), action, service, target, severity)).findFirst().orElse(null);
        final String ruleName = rule == null ? "default" : rule.name() == null ? "unnamed" : rule.name();
        final RemediationPolicy.Mode mode = rule == null ? policy.defaultMode() : rule.mode();
        final String bounds = boundsProblem(action, rule == null ? null : rule.bounds());
        if (bounds != null) {
            return PolicyDecision.refuse(ruleName, bounds);
        }
        final String limit = limitProblem(service.getName(), history, now);
        if (limit != null) {
            return PolicyDecision.refuse("limits", limit);
        }
        return new PolicyDecision(true, mode, Map.copyOf(action.getParameters()), ruleName,
                "allowed by " + ruleName + " as " + mode.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                rule == null ? null : rule.bounds());
    }

    private static boolean matches(final RemediationPolicy.Match m, final ProposedAction action,
                                   final ServiceEntry service, final KubernetesTarget target, final Severity severity) {
        if (m == null) {
            return true;
        }
        return anyOf(m.services(), service.getName())
                && (m.namespaces() == null || m.namespaces().isEmpty()
                    || (target != null && m.namespaces().contains(target.getNamespace())))
                && (m.tiers() == null || m.tiers().isEmpty() || m.tiers().contains(service.getTier()))
                && (m.severities() == null || m.severities().isEmpty()
                    || m.severities().stream().anyMatch(s -> s.equalsIgnoreCase(severity.name())))
                && (m.actions() == null || m.actions().isEmpty()
                    || m.actions().stream().anyMatch(a -> a.equalsIgnoreCase(action.getActionType().name())));
    }

    private static boolean anyOf(final List<String> allowed, final String value) {
        return allowed == null || allowed.isEmpty() || allowed.contains(value);
    }

    /** Bounds are checked, never silently clamped: an out-of-bounds proposal is refused with the bound it broke. */
    private static String boundsProblem(final ProposedAction action, final RemediationPolicy.Bounds bounds) {
        if (action.getActionType() != ActionType.SCALE_DEPLOYMENT) {
            return null;
        }
        final Map<String, String> p = action.getParameters();
        if (p.containsKey("replicas") == p.containsKey("replicas_delta")) {
            return "scale needs either replicas_delta or replicas (a target), not " + (p.isEmpty() ? "neither" : "both");
        }
        if (p.containsKey("replicas")) {
            // A target (capacity forecasts): its floor and ceiling are checked here; the step from the live count
            // against max_replicas_delta is checked by the executor, which knows the live count.
            final int target;
            try {
                target = Integer.parseInt(p.get("replicas"));
            } catch (final NumberFormatException e) {
                return "scale needs a whole replicas target, got " + p.get("replicas");
            }
            final int max = bounds == null || bounds.maxReplicas() == null ? 10 : bounds.maxReplicas();
            final int min = bounds == null || bounds.minReplicas() == null ? 1 : bounds.minReplicas();
            if (target > max || target < min) {
                return "replicas " + target + " is outside the bounds " + min + ".." + max;
            }
            return null;
        }
        final String raw = p.get("replicas_delta");
        final int delta;
        try {
            delta = Integer.parseInt(raw == null ? "" : raw.replace("+", ""));
        } catch (final NumberFormatException e) {
            return "scale needs a whole replicas_delta, got " + raw;
        }
        final int max = maxDelta(bounds);
        if (Math.abs(delta) > max) {
            return "replicas_delta " + delta + " is beyond the bound of " + max;
        }
        return null;
    }

    /** Most replicas one scale action may add or remove (default 2). */
    public static int maxDelta(final RemediationPolicy.Bounds bounds) {
        return bounds == null || bounds.maxReplicasDelta() == null ? 2 : bounds.maxReplicasDelta();
    }

    /** The kill switch and the limits as they stand now, for an approval given later; null when both allow it. */
    public String limitsNow(final String service, final History history, final Instant now) {
        if (Boolean.TRUE.equals(policy.killSwitch())) {
            return "the kill switch is on";
        }
        return limitProblem(service, history, now);
    }

    private String limitProblem(final String service, final History history, final Instant now) {
        final RemediationPolicy.Limits limits = policy.limits();
        final long lastHour = history.actions().stream()
                .filter(p -> p.service().equals(service) && p.at().isAfter(now.minus(Duration.ofHours(1)))).count();
        if (lastHour >= limits.actionsPerServicePerHour()) {
            return lastHour + " actions on " + service + " in the last hour (limit " + limits.actionsPerServicePerHour()
                    + ")";
        }
        final long running = history.actions().stream().filter(History.Past::running).count();
        if (running >= limits.concurrentActions()) {
            return running + " actions running (limit " + limits.concurrentActions() + ")";
        }
        final Instant windowStart = now.minus(Duration.ofMinutes(limits.windowMinutes()));
        final Set<String> touched = new java.util.HashSet<>();
        history.actions().stream().filter(p -> p.at().isAfter(windowStart)).forEach(p -> touched.add(p.service()));
        if (!touched.contains(service) && touched.size() >= limits.distinctServicesPerWindow()) {
            return touched.size() + " services acted on in " + limits.windowMinutes() + " minutes (limit "
                    + limits.distinctServicesPerWindow() + ")";
        }
        return null;
    }
}
