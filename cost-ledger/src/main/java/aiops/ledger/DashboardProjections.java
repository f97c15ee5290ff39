package aiops.ledger;

import aiops.avro.Incident;
import aiops.avro.RemediationEvent;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;

/**
 * Incidents and remediation events as tables for dashboards (MTTR, audit, cost per incident with its title). An older
 * incident version never overwrites a newer one; remediation events are appended once each.
 */
final class DashboardProjections {

    private DashboardProjections() {
    }

    static void incidents(final Connection c, final List<Incident> incidents) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("""
                INSERT INTO incidents (incident_id, version, state, severity, title, services, opened_at, resolved_at,
                                       replay_run, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now())
                ON CONFLICT (incident_id) DO UPDATE SET version = excluded.version, state = excluded.state,
                    severity = excluded.severity, title = excluded.title, services = excluded.services,
                    opened_at = excluded.opened_at, resolved_at = excluded.resolved_at, updated_at = now()
                WHERE incidents.version < excluded.version
                """)) {
            for (final Incident i : incidents) {
                final Array services = c.createArrayOf("text", i.getServices().toArray());
                st.setString(1, i.getIncidentId());
                st.setInt(2, i.getVersion());
                st.setString(3, i.getState().toString());
                st.setString(4, i.getSeverity().toString());
                st.setString(5, i.getTitle());
                st.setArray(6, services);
                st.setTimestamp(7, Timestamp.from(i.getOpenedAt()));
                st.setTimestamp(8, i.getResolvedAt() == null ? null : Timestamp.from(i.getResolvedAt()));
                st.setString(9, i.getReplayRunId());
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    static void remediations(final Connection c, final List<RemediationEvent> events) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("""
                INSERT INTO remediation_audit (event_id, incident_id, state, action_type, service, detail, occurred_at,
                                               replay_run)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING
                """)) {
            for (final RemediationEvent e : events) {
                st.setString(1, e.getEventId());
                st.setString(2, e.getIncidentId());
                st.setString(3, e.getState().toString());
                st.setString(4, e.getActionType().toString());
                st.setString(5, e.getService());
                st.setString(6, e.getReason());
                st.setTimestamp(7, Timestamp.from(e.getOccurredAt()));
                st.setString(8, e.getReplayRunId());
                st.addBatch();
            }
            st.executeBatch();
        }
    }
}
