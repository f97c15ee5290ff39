package aiops.app.runtime;

import aiops.avro.Analysis;
import aiops.remediator.plan.ActionPlanner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Waits until the remediator has judged every proposed action, finished every delivery and sent its outbox. Asked of
 * the database alone: an empty outbox means Kafka acknowledged every event the state changes produced.
 */
public final class RemediatorProgress {

    private static final String SETTLED = """
            SELECT (SELECT count(*) FROM remediation_actions WHERE action_id = ANY(?)
                        AND state NOT IN ('PLANNED', 'APPROVED', 'EXECUTING')),
                   (SELECT count(DISTINCT notification_key) FROM notification_deliveries
                        WHERE kind = 'analysis_ready' AND state <> 'PENDING'),
                   (SELECT count(*) FROM notification_deliveries WHERE state = 'PENDING')
                   + (SELECT count(*) FROM remediator_outbox)
            """;

    private RemediatorProgress() {
    }

    public static boolean awaitSettled(final EmbeddedRuntime runtime, final Collection<Analysis> analyses,
                                       final Duration timeout) throws InterruptedException, SQLException {
        final Set<String> actions = new HashSet<>();
        analyses.forEach(a -> a.getActions().forEach(p -> actions.add(ActionPlanner.actionId(a.getIncidentId(),
                a.getIncidentVersion(), p))));
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection c = runtime.dataSource().getConnection(); PreparedStatement st = c.prepareStatement(SETTLED)) {
                st.setArray(1, c.createArrayOf("text", actions.toArray()));
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == actions.size() && rs.getLong(2) >= analyses.size() && rs.getLong(3) == 0) {
                        return true;
                    }
                }
            }
            Thread.sleep(100);
        }
        return false;
    }
}
