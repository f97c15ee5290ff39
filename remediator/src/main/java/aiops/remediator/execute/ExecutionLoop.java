package aiops.remediator.execute;

import aiops.avro.ActionType;
import aiops.remediator.ActionJournal;
import aiops.remediator.RemediatorSettings;
import aiops.remediator.store.ActionState;
import aiops.remediator.store.ActionStore;
import aiops.remediator.store.RemediationAction;
import aiops.remediator.store.Tx;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes approved actions one at a time: claims one (APPROVED -> EXECUTING, committed before anything is touched,
 * so an action leaves APPROVED once), resolves and stores its plan, applies it, verifies it, and records the outcome.
 * At start it reconciles what it was executing when it stopped: an action visibly applied is verified, not applied
 * again; one visibly not applied is applied; one whose outcome cannot be seen is failed, never repeated. It also
 * expires approvals nobody gave in time.
 */
public final class ExecutionLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutionLoop.class);

    /** Test seam: runs right after an action was applied, before its outcome is recorded. */
    @FunctionalInterface
    public interface AfterApply {
        void run(RemediationAction action);
    }

    private final DataSource db;
    private final RemediatorSettings settings;
    private final ActionJournal journal;
    private final Map<ActionType, ActionExecutor> executors;
    private final AfterApply afterApply;
    private final Thread thread;
    private volatile boolean running = true;

    public ExecutionLoop(final DataSource db, final RemediatorSettings settings, final ActionJournal journal,
                         final Map<ActionType, ActionExecutor> executors, final AfterApply afterApply) {
        this.db = db;
        this.settings = settings;
        this.journal = journal;
        this.executors = Map.copyOf(executors);
        this.afterApply = afterApply;
        this.thread = new Thread(this::run, "remediation-executor");
        this.thread.setDaemon(true);
    }

    public ExecutionLoop start() {
        thread.start();
        return this;
    }

    public boolean isRunning() {
        return thread.isAlive();
    }

    private void run() {
        try {
            recover();
            while (running) {
                try {
                    expireApprovals();
                    final Optional<RemediationAction> claimed = Tx.run(db, c -> ActionStore.claimNext(c,
                            settings.instanceId(), Instant.now()));
                    if (claimed.isPresent()) {
                        execute(claimed.get(), false);
                    } else {
                        Thread.sleep(250);
                    }
                } catch (final SQLException e) {
                    LOG.warn("remediation executor: database unavailable: {}", e.getMessage());
                    Thread.sleep(1_000);
                }
            }
        } catch (final InterruptedException e) {
            // stopping; an action being verified stays EXECUTING and is reconciled at the next start
        }
    }

    private void recover() throws InterruptedException {
        List<RemediationAction> interrupted = null;
        while (interrupted == null) {
            try {
                interrupted = Tx.run(db, c -> ActionStore.interrupted(c, settings.instanceId(), Instant.now(),
                        settings.verifyTimeout().plusMinutes(2)));
            } catch (final SQLException e) {
                LOG.warn("remediation executor: cannot read interrupted actions yet: {}", e.getMessage());
                Thread.sleep(1_000);
            }
        }
        for (final RemediationAction a : interrupted) {
            LOG.warn("reconciling {} ({}), which was executing when the remediator stopped", a.actionId(), a.describe());
            execute(a, true);
        }
    }

    private void execute(final RemediationAction claimed, final boolean recovering) throws InterruptedException {
        RemediationAction a = claimed;
        final ActionExecutor executor = executors.get(a.type());
        try {
            if (!settings.sideEffectsAllowed(a.replayRun())) {
                finish(a, ActionState.REFUSED, "replay run " + a.replayRun() + " may not have side effects");
                return;
            }
            if (executor == null) {
                finish(a, ActionState.FAILED, "no executor for " + a.type() + " is configured");
                return;
            }
            boolean apply = true;
            if (recovering) {
                final ActionExecutor.Recovery seen = a.plan().isEmpty() ? ActionExecutor.Recovery.NOT_APPLIED
                        : executor.recover(a);
                if (seen == ActionExecutor.Recovery.UNKNOWN) {
                    finish(a, ActionState.FAILED, "interrupted before its outcome was recorded; not repeated");
                    return;
                }
                apply = seen == ActionExecutor.Recovery.NOT_APPLIED;
            }
            // While the kill switch is on nothing more is applied; an action found applied is still verified.
            if (apply && Boolean.TRUE.equals(settings.policy().killSwitch())) {
                finish(a, ActionState.REFUSED, "the kill switch is on at execution time");
                return;
            }
            if (a.plan().isEmpty()) {
                final Map<String, String> plan = executor.resolve(a);
                final String id = a.actionId();
                try {
                    Tx.run(db, c -> {
                        ActionStore.savePlan(c, id, plan);
                        return null;
                    });
                } catch (final SQLException e) {
                    // Nothing was touched yet; the action stays EXECUTING and is reconciled (planned afresh) at start.
                    LOG.warn("cannot store the plan of {}: {}", id, e.getMessage());
                    return;
                }
                a = a.withPlan(plan);
            }
            if (apply) {
                executor.apply(a);
                afterApply.run(a);
            }
            final String problem = executor.verify(a, settings.verifyTimeout());
            if (problem == null) {
                finish(a, ActionState.APPLIED, "applied and verified: " + a.describe() + " " + a.plan());
            } else {
                finish(a, ActionState.FAILED, "applied, but " + problem);
            }
        } catch (final ActionExecutor.ActionFailed e) {
            finish(a, e.refused() ? ActionState.REFUSED : ActionState.FAILED, e.getMessage());
        } catch (final RuntimeException e) {
            LOG.error("remediation {} failed unexpectedly", a.actionId(), e);
            finish(a, ActionState.FAILED, "unexpected error: " + e.getClass().getSimpleName());
        }
    }

    /** Records the outcome, retrying while the database is away: an applied action must not go unrecorded. */
    private void finish(final RemediationAction a, final ActionState state, final String reason)
            throws InterruptedException {
        long backoff = 200;
        while (true) {
            try {
                Tx.run(db, c -> journal.move(c, a.actionId(), Set.of(ActionState.EXECUTING), state, reason, "executor",
                        Instant.now()));
                return;
            } catch (final SQLException e) {
                LOG.warn("cannot record {} for {} yet: {}", state, a.actionId(), e.getMessage());
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    private void expireApprovals() throws SQLException {
        final Instant now = Instant.now();
        Tx.run(db, c -> {
            for (final String id : ActionStore.expiredApprovals(c, now)) {
                journal.move(c, id, Set.of(ActionState.PENDING_APPROVAL), ActionState.EXPIRED,
                        "nobody approved it before it expired", "policy", now);
            }
            return null;
        });
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(10_000);
    }
}
