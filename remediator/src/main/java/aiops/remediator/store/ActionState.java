package aiops.remediator.store;

import aiops.avro.RemediationState;
import java.util.Locale;

/** Where an action stands. Every state but {@link #EXECUTING} is also published on {@code aiops.remediations}. */
public enum ActionState {
    /** Proposed by an analysis, not yet judged. */
    PLANNED,
    /** Allowed in approve mode; waits for an admin until it expires. */
    PENDING_APPROVAL,
    /** Allowed (auto mode, or approved); waits for the executor. */
    APPROVED,
    /** An admin said no. */
    REJECTED,
    /** Nobody approved it in time. */
    EXPIRED,
    /** Allowed in dry-run mode: recorded with what it would do, nothing touched. */
    DRY_RUN,
    /** Claimed by an executor; it leaves this state exactly once. */
    EXECUTING,
    /** Applied and verified. */
    APPLIED,
    /** Refused by the policy, with the reason. */
    REFUSED,
    /** Applying or verifying failed, or it was interrupted. */
    FAILED;

    public RemediationState topicState() {
        if (this == EXECUTING) {
            throw new IllegalStateException("EXECUTING is internal");
        }
        return RemediationState.valueOf(name());
    }

    public boolean terminal() {
        return this == REJECTED || this == EXPIRED || this == DRY_RUN || this == APPLIED || this == REFUSED
                || this == FAILED;
    }

    /** {@code pending}, {@code pending_approval}, {@code applied}, ...; null for anything else. */
    public static ActionState parse(final String text) {
        final String t = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        if (t.equals("PENDING")) {
            return PENDING_APPROVAL;
        }
        for (final ActionState s : values()) {
            if (s.name().equals(t)) {
                return s;
            }
        }
        return null;
    }
}
