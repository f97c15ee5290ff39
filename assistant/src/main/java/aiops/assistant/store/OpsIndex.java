package aiops.assistant.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** Reads of the assistant's index: what the incident, analysis and remediation tools answer from. */
public final class OpsIndex {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /** Filters of {@link #incidents}; null means any; state is {@code open} (open or updated) or {@code resolved}. */
    public record IncidentFilter(String state, String service, Instant since, boolean includeReplays) {
    }

    /** One analysed incident with its embedding, for similarity search. */
    public record Embedded(String incidentId, String title, String state, String summary, String rootService,
                           String fault, float[] embedding) {
    }

    private final DataSource db;

    public OpsIndex(final DataSource db) {
        this.db = db;
    }

    public List<Map<String, Object>> incidents(final IncidentFilter f, final int offset, final int limit)
            throws SQLException {
        final StringBuilder sql = new StringBuilder("""
                SELECT i.incident_id, i.version, i.state, i.severity, i.title, i.services, i.opened_at, i.updated_at,
                    i.resolved_at, i.replay_run, a.root_service, a.fault
                FROM assistant_incidents i LEFT JOIN assistant_analyses a ON a.incident_id = i.incident_id
                WHERE true""");
        final List<Object> args = new ArrayList<>();
        if ("open".equals(f.state())) {
            sql.append(" AND i.state <> 'RESOLVED'");
        } else if ("resolved".equals(f.state())) {
            sql.append(" AND i.state = 'RESOLVED'");
        }
        if (f.service() != null) {
            sql.append(" AND ? = ANY(i.services)");
            args.add(f.service());
        }
        if (f.since() != null) {
            sql.append(" AND i.updated_at >= ?");
            args.add(Timestamp.from(f.since()));
        }
        if (!f.includeReplays()) {
            sql.append(" AND i.replay_run IS NULL");
        }
        sql.append(" ORDER BY i.updated_at DESC, i.incident_id OFFSET ? LIMIT ?");
        args.add(offset);
        args.add(limit);
        return rows(sql.toString(), args, rs -> {
            final Map<String, Object> m = summary(rs);
            m.put("root_service", rs.getString("root_service"));
            m.put("fault", rs.getString("fault"));
            return m;
        });
    }

    /** The incident's latest version, its alerts and anomalies, and its version timeline. */
    public Optional<Map<String, Object>> incident(final String incidentId) throws SQLException {
        try (Connection c = db.getConnection()) {
            final Map<String, Object> out;
            try (PreparedStatement st = c.prepareStatement("SELECT incident_id, version, state, severity, title,"
                    + " services, opened_at, updated_at, resolved_at, replay_run, doc::text AS doc"
                    + " FROM assistant_incidents WHERE incident_id = ?")) {
                st.setString(1, incidentId);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    out = summary(rs);
                    out.putAll(read(rs.getString("doc")));
                }
            }
            final List<Map<String, Object>> timeline = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT version, state, severity, change_reason, services,"
                    + " updated_at FROM assistant_incident_versions WHERE incident_id = ? ORDER BY version")) {
                st.setString(1, incidentId);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        final Map<String, Object> v = new LinkedHashMap<>();
                        v.put("version", rs.getInt(1));
                        v.put("state", rs.getString(2));
                        v.put("severity", rs.getString(3));
                        v.put("change", rs.getString(4));
                        v.put("services", strings(rs.getArray(5)));
                        v.put("at", rs.getTimestamp(6).toInstant().toString());
                        timeline.add(v);
                    }
                }
            }
            out.put("timeline", timeline);
            return Optional.of(out);
        }
    }

    public Optional<Map<String, Object>> analysis(final String incidentId) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement("SELECT incident_id,"
                + " incident_version, analysis_id, analyst, summary, created_at, doc::text FROM assistant_analyses"
                + " WHERE incident_id = ?")) {
            st.setString(1, incidentId);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                final Map<String, Object> out = new LinkedHashMap<>();
                out.put("incident_id", rs.getString(1));
                out.put("incident_version", rs.getInt(2));
                out.put("analysis_id", rs.getString(3));
                out.put("analyst", rs.getString(4));
                out.put("summary", rs.getString(5));
                out.put("created_at", rs.getTimestamp(6).toInstant().toString());
                out.putAll(read(rs.getString(7)));
                return Optional.of(out);
            }
        }
    }

    /** The most recently analysed live incidents with embeddings, newest first. */
    public List<Embedded> embedded(final int limit) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement("""
                SELECT a.incident_id, i.title, i.state, a.summary, a.root_service, a.fault, a.embedding
                FROM assistant_analyses a JOIN assistant_incidents i ON i.incident_id = a.incident_id
                WHERE a.embedding IS NOT NULL AND a.replay_run IS NULL ORDER BY a.created_at DESC LIMIT ?""")) {
            st.setInt(1, limit);
            final List<Embedded> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    final Float[] boxed = (Float[]) rs.getArray(7).getArray();
                    final float[] v = new float[boxed.length];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = boxed[i];
                    }
                    out.add(new Embedded(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), v));
                }
            }
            return out;
        }
    }

    /** Remediation actions, newest first; {@code proposal} selects the action a proposal became. */
    public List<Map<String, Object>> remediations(final String state, final String incidentId, final String service,
                                                  final String proposal, final int offset, final int limit)
            throws SQLException {
        final StringBuilder sql = new StringBuilder("SELECT action_id, incident_id, analysis_id, state, action_type,"
                + " service, mode, policy_rule, reason, parameters::text, occurred_at, replay_run"
                + " FROM assistant_remediations WHERE true");
        final List<Object> args = new ArrayList<>();
        for (final String[] filter : new String[][] {{"state", state}, {"incident_id", incidentId},
                {"service", service}, {"analysis_id", proposal}}) {
            if (filter[1] != null) {
                sql.append(" AND ").append(filter[0]).append(" = ?");
                args.add(filter[1]);
            }
        }
        sql.append(" ORDER BY occurred_at DESC, action_id OFFSET ? LIMIT ?");
        args.add(offset);
        args.add(limit);
        return rows(sql.toString(), args, rs -> {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("action_id", rs.getString(1));
            m.put("incident_id", rs.getString(2));
            m.put("origin_id", rs.getString(3));
            m.put("state", rs.getString(4).toLowerCase(java.util.Locale.ROOT));
            m.put("action_type", rs.getString(5).toLowerCase(java.util.Locale.ROOT));
            m.put("service", rs.getString(6));
            m.put("mode", rs.getString(7));
            m.put("policy_rule", rs.getString(8));
            m.put("reason", rs.getString(9));
            m.put("parameters", read(rs.getString(10)));
            m.put("at", rs.getTimestamp(11).toInstant().toString());
            m.put("replay_run", rs.getString(12));
            return m;
        });
    }

    /** One result row as a map. */
    @FunctionalInterface
    private interface Row {
        Map<String, Object> read(ResultSet rs) throws SQLException;
    }

    private List<Map<String, Object>> rows(final String sql, final List<Object> args, final Row row)
            throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                st.setObject(i + 1, args.get(i));
            }
            final List<Map<String, Object>> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(row.read(rs));
                }
            }
            return out;
        }
    }

    private static Map<String, Object> summary(final ResultSet rs) throws SQLException {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("incident_id", rs.getString("incident_id"));
        m.put("version", rs.getInt("version"));
        m.put("state", rs.getString("state").toLowerCase(java.util.Locale.ROOT));
        m.put("severity", rs.getString("severity").toLowerCase(java.util.Locale.ROOT));
        m.put("title", rs.getString("title"));
        m.put("services", strings(rs.getArray("services")));
        m.put("opened_at", rs.getTimestamp("opened_at").toInstant().toString());
        m.put("updated_at", rs.getTimestamp("updated_at").toInstant().toString());
        final Timestamp resolved = rs.getTimestamp("resolved_at");
        m.put("resolved_at", resolved == null ? null : resolved.toInstant().toString());
        m.put("replay_run", rs.getString("replay_run"));
        return m;
    }

    private static List<String> strings(final Array a) throws SQLException {
        return List.of((String[]) a.getArray());
    }

    private static Map<String, Object> read(final String json) {
        try {
            return JSON.readValue(json, MAP);
        } catch (final java.io.IOException e) {
            throw new IllegalStateException("unreadable index document", e);
        }
    }
}
