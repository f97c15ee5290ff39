package aiops.assistant.tools;

import java.util.List;
import java.util.Map;

/**
 * What a tool answered: a JSON object, what it cites, and (for list tools) the name of the list that may be cut
 * to fit the output cap, with the offset its first item has.
 */
public record ToolResult(Map<String, Object> body, List<Citation> citations, String pagedList, int offset) {

    /** Something a claim can cite: an incident, a runbook, a ledger line or a remediation action. */
    public record Citation(String type, String id) {

        public String marker() {
            return "[" + type + ":" + id + "]";
        }
    }

    public static ToolResult of(final Map<String, Object> body, final List<Citation> citations) {
        return new ToolResult(body, citations, null, 0);
    }

    public static ToolResult page(final Map<String, Object> body, final List<Citation> citations,
                                  final String list, final int offset) {
        return new ToolResult(body, citations, list, offset);
    }
}
