package aiops.analyzer.llm;

import aiops.analyzer.AnalyzerConfig;
import aiops.common.config.AiopsConfig;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** How LLM calls are made, cached and priced. */
public record LlmSettings(List<ModelSpec> models, List<ModelSpec> cheapModels, Duration timeout, int maxRetries,
                          double temperature, int maxOutputTokens, boolean jsonSchema, Duration cacheTtl,
                          boolean cacheSampled, Map<String, BigDecimal[]> prices, Duration baseBackoff) {

    public static LlmSettings from(final AiopsConfig config) {
        return new LlmSettings(ModelSpec.parse(config, AnalyzerConfig.LLM_MODELS),
                ModelSpec.parse(config, AnalyzerConfig.LLM_CHEAP_MODELS),
                Duration.ofMillis(config.get(AnalyzerConfig.LLM_TIMEOUT_MS)), config.get(AnalyzerConfig.LLM_MAX_RETRIES),
                Double.parseDouble(config.get(AnalyzerConfig.LLM_TEMPERATURE)),
                config.get(AnalyzerConfig.LLM_MAX_OUTPUT_TOKENS), config.get(AnalyzerConfig.LLM_JSON_SCHEMA),
                Duration.ofHours(config.get(AnalyzerConfig.LLM_CACHE_TTL_HOURS)),
                config.get(AnalyzerConfig.LLM_CACHE_SAMPLED), prices(config.optional(AnalyzerConfig.LLM_PRICES).orElse("")),
                Duration.ofMillis(500));
    }

    public boolean enabled() {
        return !models.isEmpty();
    }

    /** Answers sampled hot enough to differ between calls are not reused unless asked for. */
    public boolean cacheable() {
        return !cacheTtl.isZero() && (temperature <= 0.15 || cacheSampled);
    }

    public LlmSettings withBackoff(final Duration backoff) {
        return new LlmSettings(models, cheapModels, timeout, maxRetries, temperature, maxOutputTokens, jsonSchema,
                cacheTtl, cacheSampled, prices, backoff);
    }

    /** Estimated USD cost, or null when the model has no configured price. */
    public BigDecimal estimate(final String model, final long input, final long output) {
        final BigDecimal[] p = prices.get(model);
        if (p == null) {
            return null;
        }
        return p[0].multiply(BigDecimal.valueOf(input)).add(p[1].multiply(BigDecimal.valueOf(output)))
                .divide(BigDecimal.valueOf(1_000_000)).setScale(10, java.math.RoundingMode.HALF_UP);
    }

    static Map<String, BigDecimal[]> prices(final String spec) {
        final Map<String, BigDecimal[]> out = new HashMap<>();
        for (final String item : spec.split(",")) {
            if (item.isBlank()) {
                continue;
            }
            final String[] kv = item.trim().split("=");
            final String[] io = kv[1].split("/");
            out.put(kv[0], new BigDecimal[] {new BigDecimal(io[0]), new BigDecimal(io[1])});
        }
        return Map.copyOf(out);
    }
}
