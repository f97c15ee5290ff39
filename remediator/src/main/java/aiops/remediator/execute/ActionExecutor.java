package aiops.remediator.execute;

import aiops.remediator.store.RemediationAction;
import java.time.Duration;
import java.util.Map;

/**
 * Carries out one kind of action. The executor resolves a plan first (reads only: target replicas, revision, pod)
 * which is stored before anything changes, then applies exactly that plan, then verifies the outcome.
 */
public interface ActionExecutor {

    /** What a restart finds of an action that was executing when its process stopped. */
    enum Recovery {
        /** The change is visibly there: verify it, do not apply again. */
        APPLIED,
        /** The change is visibly absent: applying it now is its first application. */
        NOT_APPLIED,
        /** Cannot be told from outside: record a failure rather than risk doing it twice. */
        UNKNOWN
    }

    /** Reads what the action will change and returns the plan; refuses what live values put out of bounds. */
    Map<String, String> resolve(RemediationAction action) throws ActionFailed;

    void apply(RemediationAction action) throws ActionFailed;

    /**
     * Null when the outcome is as intended within the timeout, else what is wrong. Interrupted (the process is
     * stopping), the action stays executing and is reconciled at the next start.
     */
    String verify(RemediationAction action, Duration timeout) throws ActionFailed, InterruptedException;

    Recovery recover(RemediationAction action) throws ActionFailed;

    /** The action could not be carried out; {@code refused} when live values broke a policy bound. */
    final class ActionFailed extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean refused;

        public ActionFailed(final String message, final boolean refused) {
            super(message);
            this.refused = refused;
        }

        public ActionFailed(final String message) {
            this(message, false);
        }

        public boolean refused() {
            return refused;
        }
    }
}
