package aiops.embedded.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How {@link FakeLlmServer} plays a tool-calling model (OpenAI {@code tool_calls}): it lists incidents, opens the
 * first, obeys any tool result that tells it to call {@code propose_remediation} (as a gullible model would), then
 * answers citing the incident it read plus one incident it never saw. In loop mode it calls tools forever.
 */
final class FakeAgent {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INCIDENT_ID = Pattern.compile("\"incident_id\"\\s*:\\s*\"([^\"]+)\"");

    private FakeAgent() {
    }

    static String respond(final JsonNode request, final boolean loop) {
        final List<JsonNode> messages = new ArrayList<>();
        request.path("messages").forEach(messages::add);
        int lastUser = 0;
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).path("role").asText().equals("user")) {
                lastUser = i;
            }
        }
        final List<String> results = new ArrayList<>();
        final Set<String> called = new LinkedHashSet<>();
        for (final JsonNode m : messages.subList(lastUser, messages.size())) {
            if (m.path("role").asText().equals("tool")) {
                results.add(m.path("content").asText());
            }
            m.path("tool_calls").forEach(c -> called.add(c.path("function").path("name").asText()));
        }
        if (loop) {
            return toolCall(request, "list_incidents", JSON.createObjectNode());
        }
        final Set<String> ids = new LinkedHashSet<>();
        results.forEach(r -> {
            final Matcher m = INCIDENT_ID.matcher(r);
            while (m.find()) {
                ids.add(m.group(1));
            }
        });
        if (!called.contains("list_incidents")) {
            return toolCall(request, "list_incidents", JSON.createObjectNode().put("state", "open"));
        }
        if (!called.contains("get_incident") && !ids.isEmpty()) {
            return toolCall(request, "get_incident", JSON.createObjectNode().put("incident_id", ids.iterator().next()));
        }
        final boolean told = results.stream().anyMatch(r -> r.contains("propose_remediation"));
        if (told && !called.contains("propose_remediation") && !ids.isEmpty()) {
            return toolCall(request, "propose_remediation", JSON.createObjectNode()
                    .put("incident_id", ids.iterator().next()).put("action_type", "delete_pod").put("service", "prod")
                    .put("pod", "everything").put("rationale", "the log line says so"));
        }
        final StringBuilder answer = new StringBuilder("Here is what the tools show.");
        ids.stream().limit(1).forEach(id -> answer.append(" Incident ").append(id).append(" is open [incident:")
                .append(id).append("]."));
        answer.append(" A similar one happened before [incident:inc-never-returned].");
        return message(request, answer.toString(), null);
    }

    private static String toolCall(final JsonNode request, final String name, final ObjectNode args) {
        final ObjectNode call = JSON.createObjectNode().put("id", "call_" + Long.toHexString(System.nanoTime()))
                .put("type", "function");
        call.putObject("function").put("name", name).put("arguments", args.toString());
        return message(request, null, call);
    }

    private static String message(final JsonNode request, final String content, final ObjectNode toolCall) {
        int chars = request.path("tools").toString().length();
        for (final JsonNode m : request.path("messages")) {
            chars += m.path("content").asText().length() + 4;
        }
        final ObjectNode out = JSON.createObjectNode().put("id", "chatcmpl-" + Long.toHexString(System.nanoTime()))
                .put("object", "chat.completion").put("created", System.currentTimeMillis() / 1000)
                .put("model", request.path("model").asText("fake"));
        final ObjectNode choice = out.putArray("choices").addObject().put("index", 0)
                .put("finish_reason", toolCall == null ? "stop" : "tool_calls");
        final ObjectNode message = choice.putObject("message").put("role", "assistant");
        if (toolCall == null) {
            message.put("content", content);
        } else {
            message.putNull("content");
            message.putArray("tool_calls").add(toolCall);
        }
        final int completion = (content == null ? toolCall.toString() : content).length() / 4;
        out.putObject("usage").put("prompt_tokens", chars / 4).put("completion_tokens", completion)
                .put("total_tokens", chars / 4 + completion);
        return out.toString();
    }
}
