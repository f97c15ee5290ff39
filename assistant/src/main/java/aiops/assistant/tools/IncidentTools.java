package aiops.assistant.tools;

import aiops.assistant.store.OpsIndex;
import aiops.common.auth.Role;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.CosineSimilarity;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The incident, analysis, similarity and remediation tools, answered from the assistant's index. */
public final class IncidentTools {

    private static final int SEARCHED = 5_000;
    private static final double MIN_SCORE = 0.3;

    private final OpsIndex index;
    private final EmbeddingModel embedder;

    public IncidentTools(final OpsIndex index, final EmbeddingModel embedder) {
        this.index = index;
        this.embedder = embedder;
    }

    public List<ToolDef> tools() {
        return List.of(
                new ToolDef("list_incidents", "Incidents, most recently updated first, with their likely root"
                        + " cause once analysed. Replay incidents only when asked.",
                        Stream.concat(Stream.of(Param.oneOf("state", "open (open or updated) or resolved.", false,
                                        List.of("open", "resolved")),
                                Param.text("service", "Only incidents involving this service.", false),
                                Param.text("since", "Only incidents updated at or after this ISO-8601 instant.", false),
                                Param.flag("include_replays", "Also list incidents of replay runs.")),
                                Param.paging().stream()).toList(), Role.READONLY, false, this::list),
                new ToolDef("get_incident", "One incident: its alerts, anomalies, services, version timeline and"
                        + " the remediation actions planned for it.",
                        Stream.concat(Stream.of(Param.text("incident_id", "The incident id.", true)),
                                Param.paging().stream()).toList(), Role.READONLY, false, this::incident),
                new ToolDef("get_analysis", "The newest root-cause analysis of an incident: ranked hypotheses with"
                        + " the evidence each cites, and the actions the analyst proposed (policy decides those).",
                        List.of(Param.text("incident_id", "The incident id.", true)), Role.READONLY, false,
                        this::analysis),
                new ToolDef("search_similar_incidents", "Past analysed incidents most like an incident or a"
                        + " description, by embedding similarity, with what they turned out to be.",
                        List.of(Param.text("incident_id", "Find incidents like this one.", false),
                                Param.text("query", "Or: a description such as 'checkout database connections'.",
                                        false),
                                Param.integer("limit", "How many (default 5).", 1, 20)),
                        Role.READONLY, false, this::similar),
                new ToolDef("list_remediations", "Remediation actions, newest first, with their state (pending_approval,"
                        + " dry_run, applied, refused, ...) and the policy's reason.",
                        Stream.concat(Stream.of(Param.oneOf("state", "Only actions in this state.", false,
                                        List.of("planned", "pending_approval", "approved", "rejected", "expired",
                                                "dry_run", "applied", "refused", "failed")),
                                Param.text("incident_id", "Only actions for this incident.", false),
                                Param.text("service", "Only actions on this service.", false)),
                                Param.paging().stream()).toList(), Role.READONLY, false, this::remediations));
    }

    private ToolResult list(final ToolCall call) throws Exception {
        final Paging paging = Paging.of(call);
        final OpsIndex.IncidentFilter filter = new OpsIndex.IncidentFilter(call.text("state"), call.text("service"),
                instant(call.text("since")), call.flag("include_replays"));
        final Map<String, Object> body = new LinkedHashMap<>();
        final List<Map<String, Object>> page = paging.fill(body, "incidents",
                index.incidents(filter, paging.offset(), paging.fetch()));
        return ToolResult.page(body, cite("incident", page, "incident_id"), "incidents", paging.offset());
    }

    private ToolResult incident(final ToolCall call) throws Exception {
        final String id = call.text("incident_id");
        final Map<String, Object> incident = index.incident(id)
                .orElseThrow(() -> new ToolInputException("no incident " + id));
        final Paging paging = Paging.of(call);
        @SuppressWarnings("unchecked")
        final List<Object> alerts = (List<Object>) incident.remove("alerts");
        final List<Object> rest = alerts.subList(Math.min(paging.offset(), alerts.size()), alerts.size());
        final Map<String, Object> body = new LinkedHashMap<>(incident);
        paging.fill(body, "alerts", rest);
        body.put("alert_count", alerts.size());
        body.put("remediations", index.remediations(null, id, null, null, 0, 20));
        final List<ToolResult.Citation> citations = new ArrayList<>();
        citations.add(new ToolResult.Citation("incident", id));
        return ToolResult.page(body, citations, "alerts", paging.offset());
    }

    private ToolResult analysis(final ToolCall call) throws Exception {
        final String id = call.text("incident_id");
        final Map<String, Object> analysis = index.analysis(id)
                .orElseThrow(() -> new ToolInputException("incident " + id + " has no analysis yet"));
        return ToolResult.of(analysis, List.of(new ToolResult.Citation("incident", id)));
    }

    private ToolResult similar(final ToolCall call) throws Exception {
        final String id = call.text("incident_id");
        final String query = call.text("query");
        if ((id == null) == (query == null || query.isBlank())) {
            throw new ToolInputException("give exactly one of incident_id and query");
        }
        final List<OpsIndex.Embedded> known = index.embedded(SEARCHED);
        final float[] probe;
        if (id != null) {
            probe = known.stream().filter(e -> e.incidentId().equals(id)).findFirst()
                    .map(OpsIndex.Embedded::embedding)
                    .orElseThrow(() -> new ToolInputException("incident " + id + " has no analysed facts to compare"));
        } else {
            probe = embedder.embed(query).content().vector();
        }
        final Embedding p = Embedding.from(probe);
        final List<Map<String, Object>> matches = known.stream().filter(e -> !e.incidentId().equals(id))
                .map(e -> Map.entry(e, CosineSimilarity.between(p, Embedding.from(e.embedding()))))
                .filter(e -> e.getValue() >= MIN_SCORE)
                .sorted(Map.Entry.<OpsIndex.Embedded, Double>comparingByValue(Comparator.reverseOrder()))
                .limit(call.integer("limit", 5))
                .map(e -> {
                    final Map<String, Object> m = new LinkedHashMap<>();
                    m.put("incident_id", e.getKey().incidentId());
                    m.put("score", Math.round(e.getValue() * 1000) / 1000.0);
                    m.put("title", e.getKey().title());
                    m.put("state", e.getKey().state().toLowerCase(java.util.Locale.ROOT));
                    m.put("root_service", e.getKey().rootService());
                    m.put("fault", e.getKey().fault());
                    m.put("summary", e.getKey().summary());
                    return m;
                }).toList();
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("matches", matches);
        return ToolResult.of(body, cite("incident", matches, "incident_id"));
    }

    private ToolResult remediations(final ToolCall call) throws Exception {
        final Paging paging = Paging.of(call);
        final String state = call.text("state");
        final Map<String, Object> body = new LinkedHashMap<>();
        final List<Map<String, Object>> page = paging.fill(body, "remediations", index.remediations(
                state == null ? null : state.toUpperCase(java.util.Locale.ROOT), call.text("incident_id"),
                call.text("service"), null, paging.offset(), paging.fetch()));
        return ToolResult.page(body, cite("remediation", page, "action_id"), "remediations", paging.offset());
    }

    static List<ToolResult.Citation> cite(final String type, final List<Map<String, Object>> rows, final String key) {
        return rows.stream().map(r -> new ToolResult.Citation(type, String.valueOf(r.get(key)))).toList();
    }

    private static Instant instant(final String text) throws ToolInputException {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (final DateTimeParseException e) {
            throw new ToolInputException("since must be an ISO-8601 instant such as 2026-12-01T08:00:00Z");
        }
    }
}
