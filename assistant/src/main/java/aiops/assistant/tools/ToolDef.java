package aiops.assistant.tools;

import aiops.common.auth.Role;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One tool, defined once and served through both doors (MCP and the assistant's LLM): its name, what it does, its
 * inputs, the role it needs, and the function that answers it.
 */
public record ToolDef(String name, String description, List<Param> params, Role role, boolean writes,
                      Handler handler) {

    /** Answers one call whose arguments have been validated against {@link #params}. */
    @FunctionalInterface
    public interface Handler {
        ToolResult call(ToolCall call) throws Exception;
    }

    /** The input schema, as JSON schema. */
    public Map<String, Object> inputSchema() {
        final Map<String, Object> properties = new LinkedHashMap<>();
        for (final Param p : params) {
            final Map<String, Object> prop = new LinkedHashMap<>();
            prop.put("type", p.type());
            prop.put("description", p.description());
            if (!p.values().isEmpty()) {
                prop.put("enum", p.values());
            }
            if (p.min() != null) {
                prop.put("minimum", p.min());
            }
            if (p.max() != null) {
                prop.put("maximum", p.max());
            }
            properties.put(p.name(), prop);
        }
        final Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        schema.put("required", params.stream().filter(Param::required).map(Param::name).toList());
        schema.put("additionalProperties", false);
        return schema;
    }
}
