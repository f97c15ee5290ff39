package aiops.analyzer.llm;

import aiops.analyzer.AnalyzerConfig;
import aiops.common.config.AiopsConfig;
import aiops.common.config.ConfigKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One configured model: which provider, which model, where, with which key (never printed). */
public record ModelSpec(String provider, String model, String baseUrl, String apiKey) {

    public String id() {
        return provider + ":" + model;
    }

    /** The protocol spoken: Ollama and gateways speak OpenAI's. */
    public boolean anthropic() {
        return provider.equals("anthropic");
    }

    @Override
    public String toString() {
        return id() + "@" + baseUrl;
    }

    public static List<ModelSpec> parse(final AiopsConfig config, final ConfigKey<String> listKey) {
        final Optional<String> list = config.optional(listKey);
        final List<ModelSpec> out = new ArrayList<>();
        if (list.isEmpty()) {
            return out;
        }
        for (final String item : list.get().split(",")) {
            final String spec = item.trim();
            final int colon = spec.indexOf(':');
            final String provider = spec.substring(0, colon);
            final String model = spec.substring(colon + 1);
            out.add(switch (provider) {
                case "openai" -> new ModelSpec(provider, model, config.get(AnalyzerConfig.OPENAI_BASE_URL),
                        config.optional(AnalyzerConfig.OPENAI_API_KEY).orElseThrow(() -> missing(listKey,
                                AnalyzerConfig.OPENAI_API_KEY)));
                case "anthropic" -> new ModelSpec(provider, model, config.get(AnalyzerConfig.ANTHROPIC_BASE_URL),
                        config.optional(AnalyzerConfig.ANTHROPIC_API_KEY).orElseThrow(() -> missing(listKey,
                                AnalyzerConfig.ANTHROPIC_API_KEY)));
                case "ollama" -> new ModelSpec(provider, model, config.get(AnalyzerConfig.OLLAMA_BASE_URL), "ollama");
                default -> throw new aiops.common.config.ConfigException(listKey.envName() + ": unknown provider '" + provider
                        + "' (openai, anthropic, ollama)");
            });
        }
        return out;
    }

    private static aiops.common.config.ConfigException missing(final ConfigKey<String> listKey, final ConfigKey<String> keyKey) {
        return new aiops.common.config.ConfigException(listKey.envName() + " names a model whose provider needs " + keyKey.envName());
    }
}
