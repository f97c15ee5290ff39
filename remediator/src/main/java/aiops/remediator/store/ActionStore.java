package aiops.remediator.store;

import aiops.avro.ActionType;
import aiops.avro.KubernetesTarget;
import aiops.avro.RemediationEvent;
import aiops.remediator.policy.PolicyEngine;
import aiops.schemas.Topics;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code remediation_actions} table and its audit log. Every state change goes through {@link #moveTo}: a guarded
 * update (only from the states given, so two hands can never both move one action), a log row, and the event on the
 * outbox, in the caller's transaction.
 */
public final class ActionStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "action_id, incident_id, analysis_id, incident_version, action_type, service,"
            + " namespace, deployment, kube_context, parameters::text, bounds::text, mode, policy_rule, state, reason,"
            + " actor, plan::text, executor, replay_run, trace_parent, created_at, updated_at, expires_at, started_at,"
            + " finished_at";

    private ActionStore() {
    }

    /** Inserts a new action in state PLANNED, logged and published; false when the action id is known already. */
    public static boolean insert(final Connection c, final RemediationAction a) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("""
                INSERT INTO remediation_actions (action_id, incident_id, analysis_id, incident_version, action_type,
                    service, namespace, deployment, kube_context, parameters, bounds, mode, policy_rule, state, reason,
                    replay_run, trace_parent, created_at, updated_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, 'PLANNED', ?, ?, ?, ?, ?, ?)
                ON CONFLICT (action_id) DO NOTHING
                """)) {
            int i = 1;
            st.setString(i++, a.actionId());
            st.setString(i++, a.incidentId());
            st.setString(i++, a.analysisId());
            st.setInt(i++, a.incidentVersion());
            st.setString(i++, a.type().name());
            st.setString(i++, a.service());
            st.setString(i++, a.target() == null ? null : a.target().getNamespace());
            st.setString(i++, a.target() == null ? null : a.target().getDeployment());
            st.setString(i++, a.target() == null ? null : a.target().getContext());
            st.setString(i++, json(a.parameters()));
            st.setString(i++, json(a.bounds()));
            st.setString(i++, a.mode());
            st.setString(i++, a.rule());
            st.setString(i++, a.reason());
            st.setString(i++, a.replayRun());
            st.setString(i++, a.traceParent());
            st.setTimestamp(i++, Timestamp.from(a.createdAt()));
            st.setTimestamp(i++, Timestamp.from(a.createdAt()));
            st.setTimestamp(i, a.expiresAt() == null ? null : Timestamp.from(a.expiresAt()));
            if (st.executeUpdate() == 0) {
                return false;
            }
        }
        record(c, find(c, a.actionId()).orElseThrow(), ActionState.PLANNED, a.reason(), null, a.createdAt());
        return true;
    }

    /**
     * Moves an action to {@code to} if it is in one of {@code from}; logs it and publishes the event (EXECUTING is
     * logged only). Empty when the action was not in one of those states.
     */
    public static Optional<RemediationAction> moveTo(final Connection c, final String actionId, final Set<ActionState> from,
                                                     final ActionState to, final String reason, final String actor,
                                                     final Instant now) throws SQLException {
        final Array states = c.createArrayOf("text", from.stream().map(Enum::name).toArray());
        try (PreparedStatement st = c.prepareStatement("UPDATE remediation_actions SET state = ?, reason = ?,"
                + " actor = coalesce(?, actor), updated_at = ?,"
                + " started_at = CASE WHEN ? = 'EXECUTING' THEN ? ELSE started_at END,"
                + " finished_at = CASE WHEN ? THEN ? ELSE finished_at END"
                + " WHERE action_id = ? AND state = ANY(?) RETURNING " + COLUMNS)) {
            final Timestamp at = Timestamp.from(now);
            st.setString(1, to.name());
            st.setString(2, reason);
            st.setString(3, actor);
            st.setTimestamp(4, at);
            st.setString(5, to.name());
            st.setTimestamp(6, at);
            st.setBoolean(7, to.terminal());
            st.setTimestamp(8, at);
            st.setString(9, actionId);
            st.setArray(10, states);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                final RemediationAction moved = read(rs);
                record(c, moved, to, reason, actor, now);
                return Optional.of(moved);
            }
        }
    }

    private static void record(final Connection c, final RemediationAction a, final ActionState state,
                               final String reason, final String actor, final Instant at) throws SQLException {
        final String eventId = a.actionId() + ":" + state.name().toLowerCase(java.util.Locale.ROOT);
        try (PreparedStatement st = c.prepareStatement("INSERT INTO remediation_action_log (event_id, action_id, state,"
                + " reason, actor, occurred_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING")) {
            st.setString(1, eventId);
            st.setString(2, a.actionId());
            st.setString(3, state.name());
            st.setString(4, reason);
            st.setString(5, actor);
            st.setTimestamp(6, Timestamp.from(at));
            st.executeUpdate();
        }
        if (state != ActionState.EXECUTING) {
            Outbox.add(c, Topics.REMEDIATIONS, a.incidentId(), eventId, event(eventId, a, state, reason, actor, at));
        }
    }

    static RemediationEvent event(final String eventId, final RemediationAction a, final ActionState state,
                                  final String reason, final String actor, final Instant at) {
        return RemediationEvent.newBuilder().setEventId(eventId).setActionId(a.actionId())
                .setIncidentId(a.incidentId()).setAnalysisId(a.analysisId()).setState(state.topicState())
                .setActionType(a.type()).setService(a.service()).setKubernetes(a.target())
                .setParameters(a.parameters()).setMode(a.mode()).setPolicyRule(a.rule()).setReason(reason)
                .setActor(actor == null ? a.actor() : actor).setOccurredAt(at).setReplayRunId(a.replayRun())
                .setTraceParent(a.traceParent()).build();
    }

    public static Optional<RemediationAction> find(final Connection c, final String actionId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM remediation_actions WHERE action_id = ?")) {
            st.setString(1, actionId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** Newest first; {@code state} null for all, {@code incident} null for every incident. */
    public static List<RemediationAction> list(final Connection c, final ActionState state, final String incident,
                                               final int limit) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM remediation_actions"
                + " WHERE (?::text IS NULL OR state = ?) AND (?::text IS NULL OR incident_id = ?)"
                + " ORDER BY created_at DESC, action_id LIMIT ?")) {
            final String s = state == null ? null : state.name();
            st.setString(1, s);
            st.setString(2, s);
            st.setString(3, incident);
            st.setString(4, incident);
            st.setInt(5, limit);
            return readAll(st);
        }
    }

    /** Actions taken or under way since {@code since}, for the policy's rate and blast-radius limits. */
    public static PolicyEngine.History history(final Connection c, final Instant since) throws SQLException {
        final List<PolicyEngine.History.Past> past = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT service, coalesce(started_at, updated_at), state"
                + " FROM remediation_actions WHERE state IN ('APPROVED', 'EXECUTING', 'APPLIED', 'FAILED')"
                + " AND action_type <> 'NONE' AND (started_at IS NULL OR started_at >= ?)"
                + " AND (state IN ('APPROVED', 'EXECUTING') OR started_at IS NOT NULL)")) {
            st.setTimestamp(1, Timestamp.from(since));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    final String state = rs.getString(3);
                    past.add(new PolicyEngine.History.Past(rs.getString(1), rs.getTimestamp(2).toInstant(),
                            state.equals("APPROVED") || state.equals("EXECUTING")));
                }
            }
        }
        return new PolicyEngine.History(past);
    }

    /** Takes the oldest approved action for this executor (EXECUTING, logged), skipping rows others hold. */
    public static Optional<RemediationAction> claimNext(final Connection c, final String executor, final Instant now)
            throws SQLException {
        final String id;
        try (PreparedStatement st = c.prepareStatement("SELECT action_id FROM remediation_actions WHERE state = 'APPROVED'"
                + " ORDER BY updated_at, action_id LIMIT 1 FOR UPDATE SKIP LOCKED")) {
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                id = rs.getString(1);
            }
        }
        try (PreparedStatement st = c.prepareStatement("UPDATE remediation_actions SET executor = ? WHERE action_id = ?")) {
            st.setString(1, executor);
            st.setString(2, id);
            st.executeUpdate();
        }
        return moveTo(c, id, Set.of(ActionState.APPROVED), ActionState.EXECUTING, "claimed by " + executor, null, now);
    }

    /** Actions this executor was running when it stopped, or that any executor started longer ago than {@code stale}. */
    public static List<RemediationAction> interrupted(final Connection c, final String executor, final Instant now,
                                                      final Duration stale) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM remediation_actions"
                + " WHERE state = 'EXECUTING' AND (executor = ? OR started_at < ?) ORDER BY started_at")) {
            st.setString(1, executor);
            st.setTimestamp(2, Timestamp.from(now.minus(stale)));
            return readAll(st);
        }
    }

    public static List<String> expiredApprovals(final Connection c, final Instant now) throws SQLException {
        final List<String> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT action_id FROM remediation_actions"
                + " WHERE state = 'PENDING_APPROVAL' AND expires_at <= ? ORDER BY expires_at LIMIT 100")) {
            st.setTimestamp(1, Timestamp.from(now));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Stores what the executor resolved before it touches anything, so a restart repeats exactly that. */
    public static void savePlan(final Connection c, final String actionId, final Map<String, String> plan)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE remediation_actions SET plan = ?::jsonb WHERE action_id = ?")) {
            st.setString(1, json(plan));
            st.setString(2, actionId);
            st.executeUpdate();
        }
    }

    /** The audit log of one action, oldest first: state, reason, actor, time. */
    public static List<Map<String, String>> log(final Connection c, final String actionId) throws SQLException {
        final List<Map<String, String>> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT state, reason, coalesce(actor, ''), occurred_at"
                + " FROM remediation_action_log WHERE action_id = ? ORDER BY occurred_at, event_id")) {
            st.setString(1, actionId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(Map.of("state", rs.getString(1), "reason", rs.getString(2), "actor", rs.getString(3),
                            "at", rs.getTimestamp(4).toInstant().toString()));
                }
            }
        }
        return out;
    }

    private static List<RemediationAction> readAll(final PreparedStatement st) throws SQLException {
        final List<RemediationAction> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(read(rs));
            }
        }
        return out;
    }

    private static RemediationAction read(final ResultSet rs) throws SQLException {
        final String namespace = rs.getString(7);
        final KubernetesTarget target = namespace == null ? null : KubernetesTarget.newBuilder().setNamespace(namespace)
                .setDeployment(rs.getString(8)).setContext(rs.getString(9)).build();
        final String plan = rs.getString(17);
        return new RemediationAction(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                ActionType.valueOf(rs.getString(5)), rs.getString(6), target, map(rs.getString(10)),
                intMap(rs.getString(11)), rs.getString(12), rs.getString(13), ActionState.valueOf(rs.getString(14)),
                rs.getString(15), rs.getString(16), plan == null ? Map.of() : map(plan), rs.getString(18),
                rs.getString(19), rs.getString(20), instant(rs, 21), instant(rs, 22), instant(rs, 23), instant(rs, 24),
                instant(rs, 25));
    }

    private static Instant instant(final ResultSet rs, final int col) throws SQLException {
        final Timestamp t = rs.getTimestamp(col);
        return t == null ? null : t.toInstant();
    }

    static String json(final Object value) throws SQLException {
        try {
            return JSON.writeValueAsString(value);
        } catch (final JsonProcessingException e) {
            throw new SQLException("cannot write JSON", e);
        }
    }

    private static Map<String, String> map(final String json) throws SQLException {
        try {
            return JSON.readValue(json, new TypeReference<Map<String, String>>() { });
        } catch (final JsonProcessingException e) {
            throw new SQLException("bad JSON column", e);
        }
    }

    private static Map<String, Integer> intMap(final String json) throws SQLException {
        try {
            return JSON.readValue(json, new TypeReference<Map<String, Integer>>() { });
        } catch (final JsonProcessingException e) {
            throw new SQLException("bad JSON column", e);
        }
    }
}
