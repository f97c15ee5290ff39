package aiops.assistant;

import aiops.common.config.AiopsConfig;
import aiops.common.config.ConfigKey;
import java.time.Duration;
import java.util.List;

/** Keys of the MCP server and the assistant. */
public record AssistantSettings(String groupId, int maxToolCalls, Duration sessionTtl, int maxSessions,
                                int sessionMessages, int maxOutputChars, Duration proposalWait) {

    public static final ConfigKey<String> GROUP_ID = ConfigKey.string("assistant.group.id",
            "Consumer group indexing incidents, analyses and remediations for the tools (offsets in the database).")
            .defaultValue("aiops-assistant");
    public static final ConfigKey<Integer> MAX_TOOL_CALLS = ConfigKey.integer("assistant.max.tool.calls",
            "Most tool calls the assistant's model may make for one question.").defaultValue("8").range(1, 32);
    public static final ConfigKey<Integer> SESSION_TTL_MINUTES = ConfigKey.integer("assistant.session.ttl.minutes",
            "An assistant session unused this long is forgotten.").defaultValue("30").range(1, 1440);
    public static final ConfigKey<Integer> MAX_SESSIONS = ConfigKey.integer("assistant.max.sessions",
            "Most assistant sessions remembered at once (the least recently used go first).").defaultValue("1000")
            .range(1, 100_000);
    public static final ConfigKey<Integer> SESSION_MESSAGES = ConfigKey.integer("assistant.session.messages",
            "Messages (questions, answers, tool results) a session remembers.").defaultValue("20").range(2, 200);
    public static final ConfigKey<Integer> MAX_OUTPUT_CHARS = ConfigKey.integer("assistant.max.output.chars",
            "Largest tool output, in characters; longer lists are cut with a cursor to the rest.")
            .defaultValue("20000").range(1_000, 1_000_000);
    public static final ConfigKey<Integer> PROPOSAL_WAIT_MS = ConfigKey.integer("assistant.proposal.wait.ms",
            "How long propose_remediation waits for the remediator's verdict before answering 'submitted'.")
            .defaultValue("5000").range(0, 60_000);

    public static final List<ConfigKey<?>> ALL = List.of(GROUP_ID, MAX_TOOL_CALLS, SESSION_TTL_MINUTES, MAX_SESSIONS,
            SESSION_MESSAGES, MAX_OUTPUT_CHARS, PROPOSAL_WAIT_MS);

    public static AssistantSettings from(final AiopsConfig config) {
        return new AssistantSettings(config.get(GROUP_ID), config.get(MAX_TOOL_CALLS),
                Duration.ofMinutes(config.get(SESSION_TTL_MINUTES)), config.get(MAX_SESSIONS),
                config.get(SESSION_MESSAGES), config.get(MAX_OUTPUT_CHARS),
                Duration.ofMillis(config.get(PROPOSAL_WAIT_MS)));
    }

    public static AssistantSettings defaults() {
        return new AssistantSettings("aiops-assistant", 8, Duration.ofMinutes(30), 1000, 20, 20_000,
                Duration.ofSeconds(5));
    }

    public AssistantSettings withMaxOutputChars(final int chars) {
        return new AssistantSettings(groupId, maxToolCalls, sessionTtl, maxSessions, sessionMessages, chars,
                proposalWait);
    }

    public AssistantSettings withGroupId(final String group) {
        return new AssistantSettings(group, maxToolCalls, sessionTtl, maxSessions, sessionMessages, maxOutputChars,
                proposalWait);
    }
}
