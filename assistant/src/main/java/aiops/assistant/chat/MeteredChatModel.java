package aiops.assistant.chat;

import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** A chat model that remembers every answered call of one question (tokens, model, latency) for the ledger. */
final class MeteredChatModel implements ChatModel {

    /** One billed call. */
    record Call(String model, long inputTokens, long outputTokens, boolean estimated, long latencyMs, long at) {
    }

    private final ChatModel inner;
    private final String configuredModel;
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    MeteredChatModel(final ChatModel inner, final String configuredModel) {
        this.inner = inner;
        this.configuredModel = configuredModel;
    }

    @Override
    public ChatResponse chat(final ChatRequest request) {
        final long start = System.nanoTime();
        final ChatResponse response = inner.chat(request);
        final long latency = (System.nanoTime() - start) / 1_000_000;
        final var usage = response.tokenUsage();
        final boolean estimated = usage == null || usage.inputTokenCount() == null;
        final long input = estimated ? request.messages().toString().length() / 4 : usage.inputTokenCount();
        final long output = usage == null || usage.outputTokenCount() == null
                ? (response.aiMessage().text() == null ? 0 : response.aiMessage().text().length() / 4)
                : usage.outputTokenCount();
        calls.add(new Call(response.modelName() == null ? configuredModel : response.modelName(), input, output,
                estimated, latency, System.currentTimeMillis()));
        return response;
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return inner.defaultRequestParameters();
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return inner.supportedCapabilities();
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }
}
