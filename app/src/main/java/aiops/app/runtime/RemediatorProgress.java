package aiops.app.runtime;

import aiops.avro.Analysis;
import aiops.remediator.plan.ActionPlanner;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** Waits until the remediator has judged every proposed action and delivered or settled every notification. */
public final class RemediatorProgress {

    private RemediatorProgress() {
    }

    /** True when, within the timeout, every proposed action is on the topic twice (planned, verdict) and nothing waits. */
    public static boolean awaitSettled(final EmbeddedRuntime runtime, final Collection<Analysis> analyses,
                                       final Duration timeout) throws Exception {
        final Set<String> actions = new HashSet<>();
        analyses.forEach(a -> a.getActions().forEach(p -> actions.add(ActionPlanner.actionId(a.getIncidentId(),
                a.getIncidentVersion(), p))));
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            final PipelineCounts counts = PipelineCounts.read(runtime);
            if (counts.remediations() >= 2L * actions.size() && waiting(runtime) == 0
                    && delivered(runtime) >= analyses.size() && counts.notifications() >= delivered(runtime)) {
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }

    private static long waiting(final EmbeddedRuntime runtime) throws SQLException {
        return scalar(runtime, "SELECT (SELECT count(*) FROM remediator_outbox)"
                + " + (SELECT count(*) FROM notification_deliveries WHERE state = 'PENDING')"
                + " + (SELECT count(*) FROM remediation_actions WHERE state IN ('PLANNED', 'APPROVED', 'EXECUTING'))");
    }

    private static long delivered(final EmbeddedRuntime runtime) throws SQLException {
        return scalar(runtime, "SELECT count(*) FROM notification_deliveries WHERE state <> 'PENDING'");
    }

    private static long scalar(final EmbeddedRuntime runtime, final String sql) throws SQLException {
        try (Connection c = runtime.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

}
