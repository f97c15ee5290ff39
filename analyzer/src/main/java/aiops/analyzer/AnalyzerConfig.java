package aiops.analyzer;

import aiops.common.config.AiopsConfig;
import aiops.common.config.ConfigKey;
import java.time.Duration;
import java.util.List;

/** Keys of the analyzer and its LLM providers. */
public final class AnalyzerConfig {

    private static final String MODEL_LIST = "\\s*[a-z]+:[^,\\s]+(\\s*,\\s*[a-z]+:[^,\\s]+)*\\s*";

    public static final ConfigKey<String> GROUP_ID = ConfigKey.string("analyzer.group.id",
            "Consumer group of the analyzer workers.").defaultValue("aiops-analyzer");
    public static final ConfigKey<String> INSTANCE_ID = ConfigKey.string("analyzer.instance.id",
            "Stable name of this analyzer instance (its Kafka transactional id); keep it across restarts, "
                    + "unique per running instance. Default: the host name.");
    public static final ConfigKey<Integer> DEBOUNCE_MS = ConfigKey.integer("analyzer.debounce.ms",
            "Analyse an incident version once it has been stable this long (severity escalations go at once).")
            .defaultValue("5000").range(0, 3_600_000);
    public static final ConfigKey<Integer> MAX_DELAY_MS = ConfigKey.integer("analyzer.max.delay.ms",
            "Analyse an incident that keeps changing at the latest this long after its first unanalysed version.")
            .defaultValue("60000").range(0, 86_400_000);
    public static final ConfigKey<Integer> MAX_IN_FLIGHT = ConfigKey.integer("analyzer.max.in.flight",
            "Analyses running at once (one per incident at a time).").defaultValue("64").range(1, 4096);
    public static final ConfigKey<Boolean> SIMILAR = ConfigKey.bool("analyzer.similar.incidents",
            "Look up similar past incidents with the in-process embedding model (all-MiniLM-L6-v2).")
            .defaultValue("true");

    public static final ConfigKey<String> LLM_MODELS = ConfigKey.string("llm.models",
            "LLM models to try in order, provider:model[,provider:model] with provider openai, anthropic or ollama "
                    + "(Ollama through its OpenAI-compatible API). Unset: the offline analyst answers.")
            .validate(s -> s.matches(MODEL_LIST), "provider:model[,provider:model]");
    public static final ConfigKey<String> LLM_CHEAP_MODELS = ConfigKey.string("llm.cheap.models",
            "Models used instead while a budget is past its soft limit, same format as llm.models.")
            .validate(s -> s.matches(MODEL_LIST), "provider:model[,provider:model]");
    public static final ConfigKey<String> OPENAI_BASE_URL = ConfigKey.string("llm.openai.base.url",
            "OpenAI-compatible API base (OpenAI, vLLM, a gateway).").defaultValue("https://api.openai.com/v1");
    public static final ConfigKey<String> OPENAI_API_KEY = ConfigKey.string("llm.openai.api.key",
            "API key for llm.openai.base.url.").secret();
    public static final ConfigKey<String> ANTHROPIC_BASE_URL = ConfigKey.string("llm.anthropic.base.url",
            "Anthropic API base.").defaultValue("https://api.anthropic.com/v1");
    public static final ConfigKey<String> ANTHROPIC_API_KEY = ConfigKey.string("llm.anthropic.api.key",
            "Anthropic API key.").secret();
    public static final ConfigKey<String> OLLAMA_BASE_URL = ConfigKey.string("llm.ollama.base.url",
            "Ollama's OpenAI-compatible API base.").defaultValue("http://localhost:11434/v1");
    public static final ConfigKey<Integer> LLM_TIMEOUT_MS = ConfigKey.integer("llm.timeout.ms",
            "Timeout of one LLM call.").defaultValue("30000").range(100, 600_000);
    public static final ConfigKey<Integer> LLM_MAX_RETRIES = ConfigKey.integer("llm.max.retries",
            "Retries of a call refused with 429, 5xx or a timeout, with exponential backoff or the provider's "
                    + "Retry-After.").defaultValue("2").range(0, 10);
    public static final ConfigKey<String> LLM_TEMPERATURE = ConfigKey.string("llm.temperature",
            "Sampling temperature.").defaultValue("0.0")
            .validate(s -> s.matches("\\d+(\\.\\d+)?") && Double.parseDouble(s) <= 2.0, "a number from 0 to 2");
    public static final ConfigKey<Integer> LLM_MAX_OUTPUT_TOKENS = ConfigKey.integer("llm.max.output.tokens",
            "Most tokens an answer may have.").defaultValue("1024").range(64, 32_768);
    public static final ConfigKey<Boolean> LLM_JSON_SCHEMA = ConfigKey.bool("llm.json.schema",
            "Ask OpenAI-compatible providers for JSON-schema constrained output (turn off for servers without it).")
            .defaultValue("true");
    public static final ConfigKey<Integer> LLM_CACHE_TTL_HOURS = ConfigKey.integer("llm.cache.ttl.hours",
            "How long an answer is reused for the same prompt, model and parameters (0 disables the cache).")
            .defaultValue("24").range(0, 24 * 365);
    public static final ConfigKey<Boolean> LLM_CACHE_SAMPLED = ConfigKey.bool("llm.cache.sampled",
            "Also cache answers sampled with temperature above 0.15.").defaultValue("false");
    public static final ConfigKey<String> LLM_PRICES = ConfigKey.string("llm.prices",
            "Cost estimates in USD per million tokens, model=input/output[,model=input/output]; the ledger's price "
                    + "table is authoritative.")
            .validate(s -> s.matches("\\s*[^=,\\s]+=[0-9.]+/[0-9.]+(\\s*,\\s*[^=,\\s]+=[0-9.]+/[0-9.]+)*\\s*"),
                    "model=input/output[,...]");

    public static final List<ConfigKey<?>> ALL = List.of(GROUP_ID, INSTANCE_ID, DEBOUNCE_MS, MAX_DELAY_MS,
            MAX_IN_FLIGHT, SIMILAR, LLM_MODELS, LLM_CHEAP_MODELS, OPENAI_BASE_URL, OPENAI_API_KEY, ANTHROPIC_BASE_URL,
            ANTHROPIC_API_KEY, OLLAMA_BASE_URL, LLM_TIMEOUT_MS, LLM_MAX_RETRIES, LLM_TEMPERATURE, LLM_MAX_OUTPUT_TOKENS,
            LLM_JSON_SCHEMA, LLM_CACHE_TTL_HOURS, LLM_CACHE_SAMPLED, LLM_PRICES);

    private AnalyzerConfig() {
    }

    /** Worker settings. */
    public record Worker(String groupId, String instanceId, Duration debounce, Duration maxDelay, int maxInFlight,
                         boolean similarIncidents) {
        public static Worker from(final AiopsConfig config) {
            return new Worker(config.get(GROUP_ID), config.optional(INSTANCE_ID).orElseGet(aiops.common.config.CoreConfig::hostName),
                    Duration.ofMillis(config.get(DEBOUNCE_MS)), Duration.ofMillis(config.get(MAX_DELAY_MS)),
                    config.get(MAX_IN_FLIGHT), config.get(SIMILAR));
        }

        public Worker withInstanceId(final String id) {
            return new Worker(groupId, id, debounce, maxDelay, maxInFlight, similarIncidents);
        }

        public Worker withDebounce(final Duration d) {
            return new Worker(groupId, instanceId, d, maxDelay, maxInFlight, similarIncidents);
        }

        public Worker withMaxInFlight(final int n) {
            return new Worker(groupId, instanceId, debounce, maxDelay, n, similarIncidents);
        }
    }
}
