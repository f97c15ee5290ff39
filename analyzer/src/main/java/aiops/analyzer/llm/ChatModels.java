package aiops.analyzer.llm;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import aiops.avro.ActionType;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import dev.langchain4j.model.openai.OpenAiChatModel;

/**
 * One langchain4j chat model per configured model, over {@link ProviderHttpClient}. Retries are off in the client:
 * the analyzer retries itself so every billed attempt is counted and Retry-After is honoured.
 */
public final class ChatModels {

    static final ResponseFormat ANSWER_FORMAT = ResponseFormat.builder().type(ResponseFormatType.JSON)
            .jsonSchema(JsonSchema.builder().name("root_cause_analysis").rootElement(JsonObjectSchema.builder()
                    .addStringProperty("summary")
                    .addProperty("hypotheses", JsonArraySchema.builder().items(JsonObjectSchema.builder()
                            .addStringProperty("service").addStringProperty("fault").addStringProperty("description")
                            .addNumberProperty("confidence")
                            .addProperty("evidence_ids", JsonArraySchema.builder()
                                    .items(new dev.langchain4j.model.chat.request.json.JsonStringSchema()).build())
                            .required("service", "fault", "description", "confidence", "evidence_ids")
                            .additionalProperties(false).build()).build())
                    .addProperty("actions", JsonArraySchema.builder().items(JsonObjectSchema.builder()
                            .addEnumProperty("action_type", Arrays.stream(ActionType.values()).map(Enum::name).toList())
                            .addStringProperty("service")
                            .addProperty("parameters", JsonArraySchema.builder().items(JsonObjectSchema.builder()
                                    .addStringProperty("key").addStringProperty("value").required("key", "value")
                                    .additionalProperties(false).build()).build())
                            .addStringProperty("rationale").addIntegerProperty("hypothesis_rank")
                            .required("action_type", "service", "parameters", "rationale", "hypothesis_rank")
                            .additionalProperties(false).build()).build())
                    .required("summary", "hypotheses", "actions").additionalProperties(false).build()).build())
            .build();

    private final LlmSettings settings;
    private final Map<String, ChatModel> models = new ConcurrentHashMap<>();

    public ChatModels(final LlmSettings settings) {
        this.settings = settings;
    }

    public ChatModel get(final ModelSpec spec) {
        return models.computeIfAbsent(spec.id(), id -> create(spec));
    }

    /** Whether requests to this model carry the JSON schema response format. */
    boolean schemaConstrained(final ModelSpec spec) {
        return settings.jsonSchema() && !spec.anthropic();
    }

    private ChatModel create(final ModelSpec spec) {
        if (spec.anthropic()) {
            return AnthropicChatModel.builder().httpClientBuilder(ProviderHttpClient.builder()).baseUrl(spec.baseUrl())
                    .apiKey(spec.apiKey()).modelName(spec.model()).timeout(settings.timeout()).maxRetries(0)
                    .logRequests(false).logResponses(false).build();
        }
        return OpenAiChatModel.builder().httpClientBuilder(ProviderHttpClient.builder()).baseUrl(spec.baseUrl())
                .apiKey(spec.apiKey()).modelName(spec.model()).timeout(settings.timeout()).maxRetries(0)
                .strictJsonSchema(true).logRequests(false).logResponses(false).build();
    }
}
