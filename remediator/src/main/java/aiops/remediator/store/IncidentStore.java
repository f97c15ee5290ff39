package aiops.remediator.store;

import aiops.avro.Incident;
import aiops.avro.Severity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** The latest version of each incident as the remediator saw it: severity for the policy, and for routing. */
public final class IncidentStore {

    private IncidentStore() {
    }

    /** Stores the version if it is newer than the one known; true when it was. */
    public static boolean upsert(final Connection c, final Incident i) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("""
                INSERT INTO remediator_incidents (incident_id, version, state, severity, title, services, replay_run)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (incident_id) DO UPDATE SET version = excluded.version, state = excluded.state,
                    severity = excluded.severity, title = excluded.title, services = excluded.services,
                    replay_run = excluded.replay_run, updated_at = now()
                WHERE remediator_incidents.version < excluded.version
                """)) {
            st.setString(1, i.getIncidentId());
            st.setInt(2, i.getVersion());
            st.setString(3, i.getState().name());
            st.setString(4, i.getSeverity().name());
            st.setString(5, i.getTitle());
            st.setArray(6, c.createArrayOf("text", i.getServices().toArray()));
            st.setString(7, i.getReplayRunId());
            return st.executeUpdate() > 0;
        }
    }

    /** What the remediator knows of an incident: its latest version, severity and replay run. */
    public record Known(int version, Severity severity, String replayRun) {
    }

    public static Optional<Known> known(final Connection c, final String incidentId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT version, severity, replay_run FROM remediator_incidents WHERE incident_id = ?")) {
            st.setString(1, incidentId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(new Known(rs.getInt(1), Severity.valueOf(rs.getString(2)),
                        rs.getString(3))) : Optional.empty();
            }
        }
    }

    public static java.util.List<String> services(final Connection c, final String incidentId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT services FROM remediator_incidents WHERE incident_id = ?")) {
            st.setString(1, incidentId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? java.util.List.of((String[]) rs.getArray(1).getArray()) : java.util.List.of();
            }
        }
    }

    public static Optional<Severity> severity(final Connection c, final String incidentId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT severity FROM remediator_incidents WHERE incident_id = ?")) {
            st.setString(1, incidentId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(Severity.valueOf(rs.getString(1))) : Optional.empty();
            }
        }
    }
}
