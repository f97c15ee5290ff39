package aiops.assistant.chat;

import aiops.assistant.tools.ToolResult;
import java.util.List;

/**
 * The answer to one question. {@code citations} are the markers in the answer that a tool result of this question
 * backs; {@code unsupported} are markers it does not. {@code toolCalls} are the model's, {@code retrieved} the
 * tools retrieval ran for it (or, without a model, for the answer). {@code answeredBy} is {@code llm} or
 * {@code retrieval}.
 */
public record AssistantAnswer(String sessionId, String answer, List<ToolResult.Citation> citations,
                              List<String> unsupported, List<ToolCallNote> toolCalls, List<ToolCallNote> retrieved,
                              String model, String answeredBy, boolean degraded, String degradedReason) {

    /** One tool the question used, and whether it answered or refused. */
    public record ToolCallNote(String tool, boolean error) {
    }
}
