package aiops.remediator.policy;

import java.util.Map;

/**
 * What the policy allows for one proposed action.
 *
 * @param allowed    false: refused, with {@code reason}; nothing may be executed
 * @param mode       how an allowed action runs (dry-run, approval, automatic)
 * @param parameters the parameters after policy checks
 * @param rule       name of the rule that decided, or "default" / "kill_switch" / "limits"
 * @param bounds     the deciding rule's bounds, which the executor applies to live values (null: defaults)
 */
public record PolicyDecision(boolean allowed, RemediationPolicy.Mode mode, Map<String, String> parameters, String rule,
                             String reason, RemediationPolicy.Bounds bounds) {

    static PolicyDecision refuse(final String rule, final String reason) {
        return new PolicyDecision(false, null, Map.of(), rule, reason, null);
    }
}
