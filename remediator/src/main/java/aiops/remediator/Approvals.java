package aiops.remediator;

import aiops.remediator.policy.PolicyEngine;
import aiops.remediator.store.ActionState;
import aiops.remediator.store.ActionStore;
import aiops.remediator.store.RemediationAction;
import aiops.remediator.store.Tx;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import javax.sql.DataSource;

/**
 * An admin's yes or no on a pending action. Yes passes the kill switch and the rate and blast-radius limits again,
 * as they stand now: an approval given late cannot exceed what the policy allows at that moment.
 */
public final class Approvals {

    /** What happened. */
    public enum Outcome { APPROVED, REJECTED, REFUSED, UNKNOWN, NOT_PENDING, EXPIRED }

    /** The outcome and the action as it is afterwards (null when unknown). */
    public record Result(Outcome outcome, RemediationAction action) {
    }

    private final DataSource db;
    private final PolicyEngine engine;
    private final ActionJournal journal;

    public Approvals(final DataSource db, final PolicyEngine engine, final ActionJournal journal) {
        this.db = db;
        this.engine = engine;
        this.journal = journal;
    }

    public Result approve(final String id, final String actor) throws SQLException {
        return Tx.run(db, c -> {
            final RemediationAction a = ActionStore.find(c, id).orElse(null);
            final Result bad = check(a);
            if (bad != null) {
                return bad;
            }
            final Instant now = Instant.now();
            final String limit = engine.limitsNow(a.service(), ActionStore.history(c, now.minus(Duration.ofHours(1))), now);
            if (limit != null) {
                return new Result(Outcome.REFUSED, journal.move(c, id, Set.of(ActionState.PENDING_APPROVAL),
                        ActionState.REFUSED, "approved by " + actor + " but refused: " + limit, actor, now).orElseThrow());
            }
            return new Result(Outcome.APPROVED, journal.move(c, id, Set.of(ActionState.PENDING_APPROVAL),
                    ActionState.APPROVED, "approved by " + actor, actor, now).orElseThrow());
        });
    }

    public Result reject(final String id, final String actor) throws SQLException {
        return Tx.run(db, c -> {
            final RemediationAction a = ActionStore.find(c, id).orElse(null);
            final Result bad = check(a);
            if (bad != null) {
                return bad;
            }
            return new Result(Outcome.REJECTED, journal.move(c, id, Set.of(ActionState.PENDING_APPROVAL),
                    ActionState.REJECTED, "rejected by " + actor, actor, Instant.now()).orElseThrow());
        });
    }

    private static Result check(final RemediationAction a) {
        if (a == null) {
            return new Result(Outcome.UNKNOWN, null);
        }
        if (a.state() != ActionState.PENDING_APPROVAL) {
            return new Result(Outcome.NOT_PENDING, a);
        }
        if (a.expiresAt() != null && a.expiresAt().isBefore(Instant.now())) {
            return new Result(Outcome.EXPIRED, a);
        }
        return null;
    }
}
