package aiops.assistant.chat;

import aiops.common.auth.Role;
import aiops.common.http.ApiError;
import aiops.common.http.ApiServer;
import aiops.common.http.TraceContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code POST /api/v1/assistant/query} (user role: a question may spend LLM budget). */
public final class AssistantRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("question", "session_id");
    private static final int MAX_QUESTION = 4_000;

    private final OpsAssistant assistant;

    public AssistantRoutes(final OpsAssistant assistant) {
        this.assistant = assistant;
    }

    public void register(final RoutesConfig routes) {
        routes.post("/api/v1/assistant/query", this::query, Role.USER);
    }

    private void query(final Context ctx) throws Exception {
        final String type = ctx.contentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiError(415, "unsupported_media_type", "send the question as application/json");
        }
        final JsonNode body;
        try {
            body = JSON.readTree(ctx.body());
        } catch (final java.io.IOException e) {
            throw ApiError.badRequest("invalid_json", "the body is not JSON", null);
        }
        if (body == null || !body.isObject()) {
            throw ApiError.badRequest("invalid_request", "send {\"question\": \"...\", \"session_id\": \"...\"}", null);
        }
        for (var it = body.fieldNames(); it.hasNext();) {
            final String f = it.next();
            if (!FIELDS.contains(f)) {
                throw ApiError.badRequest("unknown_field", "unknown field " + f, f);
            }
        }
        final JsonNode q = body.path("question");
        if (!q.isTextual() || q.asText().isBlank() || q.asText().length() > MAX_QUESTION) {
            throw ApiError.badRequest("invalid_question", "question must be text of 1 to " + MAX_QUESTION
                    + " characters", "question");
        }
        final JsonNode s = body.path("session_id");
        if (!s.isMissingNode() && !s.isNull() && !(s.isTextual() && s.asText().matches("[A-Za-z0-9_.-]{1,64}"))) {
            throw ApiError.badRequest("invalid_session_id", "session_id must be 1 to 64 letters, digits, '_', '.'"
                    + " or '-'", "session_id");
        }
        final TraceContext trace = ctx.attribute(ApiServer.TRACE_ATTRIBUTE);
        final AssistantAnswer a = assistant.ask(ApiServer.principal(ctx), s.isTextual() ? s.asText() : null,
                q.asText(), trace == null ? null : trace.traceparent());
        ctx.json(render(a));
    }

    public static Map<String, Object> render(final AssistantAnswer a) {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("session_id", a.sessionId());
        out.put("answer", a.answer());
        out.put("citations", a.citations().stream().map(c -> Map.of("type", c.type(), "id", c.id())).toList());
        out.put("unsupported_citations", a.unsupported());
        out.put("tool_calls", a.toolCalls().stream().map(t -> Map.of("tool", t.tool(), "error", t.error())).toList());
        out.put("retrieved", a.retrieved().stream().map(t -> Map.of("tool", t.tool(), "error", t.error())).toList());
        out.put("model", a.model());
        out.put("answered_by", a.answeredBy());
        out.put("degraded", a.degraded());
        out.put("degraded_reason", a.degradedReason());
        return out;
    }
}
