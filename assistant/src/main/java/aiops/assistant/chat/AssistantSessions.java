package aiops.assistant.chat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.langchain4j.memory.ChatMemory;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import java.time.Duration;
import java.util.UUID;

/**
 * Conversations: a bounded window of messages per session, sessions expiring after a quiet period and bounded in
 * number. A session belongs to the key that opened it; the same id under another key is another session.
 */
public final class AssistantSessions {

    /** One conversation. */
    static final class Session {
        final String id;
        final ChatMemory memory;

        Session(final String id, final int messages) {
            this.id = id;
            this.memory = MessageWindowChatMemory.withMaxMessages(messages);
        }
    }

    private final Cache<String, Session> sessions;
    private final int messages;

    public AssistantSessions(final Duration ttl, final int maxSessions, final int messages) {
        this.sessions = Caffeine.newBuilder().expireAfterAccess(ttl).maximumSize(maxSessions).build();
        this.messages = messages;
    }

    /** The caller's session {@code id}, or a new one when {@code id} is null. */
    Session get(final String principalId, final String id) {
        final String sessionId = id == null ? "s-" + UUID.randomUUID() : id;
        return sessions.get(principalId + "\n" + sessionId, k -> new Session(sessionId, messages));
    }

    long size() {
        sessions.cleanUp();
        return sessions.estimatedSize();
    }
}
