package aiops.assistant.tools;

import java.util.List;

/**
 * One input of a tool, rendered as JSON schema for MCP and for the LLM alike.
 *
 * @param type   {@code string}, {@code integer} or {@code boolean}
 * @param values allowed values of a string (empty: any)
 */
public record Param(String name, String type, String description, boolean required, List<String> values,
                    Integer min, Integer max) {

    public static Param text(final String name, final String description, final boolean required) {
        return new Param(name, "string", description, required, List.of(), null, null);
    }

    public static Param oneOf(final String name, final String description, final boolean required,
                              final List<String> values) {
        return new Param(name, "string", description, required, List.copyOf(values), null, null);
    }

    public static Param integer(final String name, final String description, final int min, final int max) {
        return new Param(name, "integer", description, false, List.of(), min, max);
    }

    public static Param flag(final String name, final String description) {
        return new Param(name, "boolean", description, false, List.of(), null, null);
    }

    /** The page size every list tool takes, and its cursor. */
    public static List<Param> paging() {
        return List.of(integer("limit", "Items per page (default 20).", 1, 100),
                text("cursor", "next_cursor of the previous page.", false));
    }
}
