package aiops.analyzer;

import java.math.BigDecimal;

/**
 * One LLM call as billed (or answered from the cache, then unbilled).
 *
 * @param purpose   analysis or repair
 * @param outcome   ok, error, timeout, rate_limited, invalid_output
 * @param estimated tokens were estimated because the provider reported no usage
 */
public record LlmCall(String provider, String model, String purpose, long inputTokens, long outputTokens,
                      long cachedInputTokens, long latencyMs, String outcome, boolean cached, boolean estimated,
                      BigDecimal costUsd, long occurredAt) {

    public static LlmCall cacheHit(final String provider, final String model, final long occurredAt) {
        return new LlmCall(provider, model, "analysis", 0, 0, 0, 0, "ok", true, false, BigDecimal.ZERO, occurredAt);
    }
}
