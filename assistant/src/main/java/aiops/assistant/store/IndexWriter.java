package aiops.assistant.store;

import aiops.analyzer.similar.SimilarIncidents;
import aiops.avro.Analysis;
import aiops.avro.Anomaly;
import aiops.avro.Evidence;
import aiops.avro.Hypothesis;
import aiops.avro.Incident;
import aiops.avro.IncidentAlert;
import aiops.avro.ProposedAction;
import aiops.avro.RemediationEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.embedding.EmbeddingModel;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Incidents, analyses and remediation events into the assistant's tables, inside the transaction that stores the
 * consumer offsets, so a restart neither loses nor repeats a row. Only newer versions overwrite.
 */
public final class IndexWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EmbeddingModel embedder;

    public IndexWriter(final EmbeddingModel embedder) {
        this.embedder = embedder;
    }

    public void incidents(final Connection c, final List<Incident> incidents) throws SQLException {
        try (PreparedStatement latest = c.prepareStatement("""
                INSERT INTO assistant_incidents (incident_id, version, state, severity, title, services, opened_at,
                    updated_at, resolved_at, replay_run, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
                ON CONFLICT (incident_id) DO UPDATE SET version = excluded.version, state = excluded.state,
                    severity = excluded.severity, title = excluded.title, services = excluded.services,
                    opened_at = excluded.opened_at, updated_at = excluded.updated_at,
                    resolved_at = excluded.resolved_at, replay_run = excluded.replay_run, doc = excluded.doc
                WHERE assistant_incidents.version < excluded.version
                """);
             PreparedStatement version = c.prepareStatement("""
                INSERT INTO assistant_incident_versions (incident_id, version, state, severity, change_reason,
                    services, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """)) {
            for (final Incident i : incidents) {
                final var services = c.createArrayOf("text", i.getServices().toArray());
                latest.setString(1, i.getIncidentId());
                latest.setInt(2, i.getVersion());
                latest.setString(3, i.getState().name());
                latest.setString(4, i.getSeverity().name());
                latest.setString(5, i.getTitle());
                latest.setArray(6, services);
                latest.setTimestamp(7, Timestamp.from(i.getOpenedAt()));
                latest.setTimestamp(8, Timestamp.from(i.getUpdatedAt()));
                latest.setTimestamp(9, i.getResolvedAt() == null ? null : Timestamp.from(i.getResolvedAt()));
                latest.setString(10, i.getReplayRunId());
                latest.setString(11, json(incidentDoc(i)));
                latest.addBatch();
                version.setString(1, i.getIncidentId());
                version.setInt(2, i.getVersion());
                version.setString(3, i.getState().name());
                version.setString(4, i.getSeverity().name());
                version.setString(5, i.getChangeReason());
                version.setArray(6, services);
                version.setTimestamp(7, Timestamp.from(i.getUpdatedAt()));
                version.addBatch();
            }
            latest.executeBatch();
            version.executeBatch();
        }
    }

    public void analyses(final Connection c, final List<Analysis> analyses) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("""
                INSERT INTO assistant_analyses (incident_id, incident_version, analysis_id, analyst, summary,
                    root_service, fault, embedding, replay_run, created_at, doc)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
                ON CONFLICT (incident_id) DO UPDATE SET incident_version = excluded.incident_version,
                    analysis_id = excluded.analysis_id, analyst = excluded.analyst, summary = excluded.summary,
                    root_service = excluded.root_service, fault = excluded.fault, embedding = excluded.embedding,
                    replay_run = excluded.replay_run, created_at = excluded.created_at, doc = excluded.doc
                WHERE assistant_analyses.incident_version <= excluded.incident_version
                """)) {
            for (final Analysis a : analyses) {
                final Hypothesis top = a.getHypotheses().isEmpty() ? null : a.getHypotheses().get(0);
                final String text = SimilarIncidents.text(a.getEvidence());
                final Embedding e = text.isEmpty() ? null : embedder.embed(text).content();
                st.setString(1, a.getIncidentId());
                st.setInt(2, a.getIncidentVersion());
                st.setString(3, a.getAnalysisId());
                st.setString(4, a.getAnalyst());
                st.setString(5, a.getSummary());
                st.setString(6, top == null ? null : top.getService());
                st.setString(7, top == null ? null : top.getFault());
                st.setArray(8, e == null ? null : c.createArrayOf("real", boxed(e.vector())));
                st.setString(9, a.getReplayRunId());
                st.setTimestamp(10, Timestamp.from(a.getCreatedAt()));
                st.setString(11, json(analysisDoc(a)));
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    public void remediations(final Connection c, final List<RemediationEvent> events) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("""
                INSERT INTO assistant_remediations (action_id, incident_id, analysis_id, state, action_type, service,
                    mode, policy_rule, reason, parameters, occurred_at, replay_run)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)
                ON CONFLICT (action_id) DO UPDATE SET state = excluded.state, mode = excluded.mode,
                    policy_rule = excluded.policy_rule, reason = excluded.reason, occurred_at = excluded.occurred_at
                WHERE assistant_remediations.occurred_at <= excluded.occurred_at
                """)) {
            for (final RemediationEvent e : events) {
                st.setString(1, e.getActionId());
                st.setString(2, e.getIncidentId());
                st.setString(3, e.getAnalysisId());
                st.setString(4, e.getState().name());
                st.setString(5, e.getActionType().name());
                st.setString(6, e.getService());
                st.setString(7, e.getMode());
                st.setString(8, e.getPolicyRule());
                st.setString(9, e.getReason());
                st.setString(10, json(new TreeMap<>(e.getParameters())));
                st.setTimestamp(11, Timestamp.from(e.getOccurredAt()));
                st.setString(12, e.getReplayRunId());
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    static Map<String, Object> incidentDoc(final Incident i) {
        final List<Map<String, Object>> alerts = new ArrayList<>();
        for (final IncidentAlert a : i.getAlerts()) {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("fingerprint", a.getFingerprint());
            m.put("name", a.getName());
            m.put("service", a.getService());
            m.put("severity", a.getSeverity().name());
            m.put("status", a.getStatus().name());
            m.put("first_seen", a.getFirstSeen().toString());
            m.put("last_seen", a.getLastSeen().toString());
            m.put("count", a.getCount());
            alerts.add(m);
        }
        final List<Map<String, Object>> anomalies = new ArrayList<>();
        for (final Anomaly a : i.getAnomalies()) {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("anomaly_id", a.getAnomalyId());
            m.put("kind", a.getKind());
            m.put("service", a.getService());
            m.put("detected_at", a.getDetectedAt().toString());
            m.put("score", a.getScore());
            m.put("summary", a.getSummary());
            m.put("attributes", new TreeMap<>(a.getAttributes()));
            anomalies.add(m);
        }
        final Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("alerts", alerts);
        doc.put("anomalies", anomalies);
        doc.put("signal_count", i.getSignalCount());
        return doc;
    }

    static Map<String, Object> analysisDoc(final Analysis a) {
        final Map<String, Evidence> byId = new LinkedHashMap<>();
        a.getEvidence().forEach(e -> byId.put(e.getId(), e));
        final List<Map<String, Object>> hypotheses = new ArrayList<>();
        for (final Hypothesis h : a.getHypotheses()) {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("rank", h.getRank());
            m.put("service", h.getService());
            m.put("fault", h.getFault());
            m.put("description", h.getDescription());
            m.put("confidence", h.getConfidence());
            final List<Map<String, Object>> evidence = new ArrayList<>();
            for (final String id : h.getEvidenceIds()) {
                final Evidence e = byId.get(id);
                final Map<String, Object> ev = new LinkedHashMap<>();
                ev.put("id", id);
                if (e != null) {
                    ev.put("kind", e.getKind());
                    ev.put("service", e.getService());
                    ev.put("summary", e.getSummary());
                    ev.put("at", e.getAt() == null ? null : e.getAt().toString());
                }
                evidence.add(ev);
            }
            m.put("evidence", evidence);
            hypotheses.add(m);
        }
        final List<Map<String, Object>> actions = new ArrayList<>();
        for (final ProposedAction p : a.getActions()) {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("action_type", p.getActionType().name().toLowerCase(java.util.Locale.ROOT));
            m.put("service", p.getService());
            m.put("parameters", new TreeMap<>(p.getParameters()));
            m.put("rationale", p.getRationale());
            actions.add(m);
        }
        final Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("provider", a.getProvider());
        doc.put("model", a.getModel());
        doc.put("degraded", a.getDegraded());
        doc.put("degraded_reason", a.getDegradedReason());
        doc.put("hypotheses", hypotheses);
        doc.put("proposed_actions", actions);
        doc.put("evidence_count", a.getEvidence().size());
        return doc;
    }

    private static Float[] boxed(final float[] v) {
        final Float[] out = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    private static String json(final Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (final com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
