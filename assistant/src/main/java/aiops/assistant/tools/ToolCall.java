package aiops.assistant.tools;

import aiops.common.auth.Principal;
import java.util.Map;

/**
 * One validated call: who makes it, through which door ({@code mcp}, {@code mcp-stdio}, {@code assistant}), and
 * its arguments (strings, longs and booleans only).
 */
public record ToolCall(Principal principal, String door, Map<String, Object> args, String traceParent) {

    public String text(final String name) {
        final Object v = args.get(name);
        return v == null ? null : v.toString();
    }

    public int integer(final String name, final int fallback) {
        final Object v = args.get(name);
        return v == null ? fallback : ((Number) v).intValue();
    }

    public boolean flag(final String name) {
        return Boolean.TRUE.equals(args.get(name));
    }
}
