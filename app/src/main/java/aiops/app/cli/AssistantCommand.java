package aiops.app.cli;

import aiops.analyzer.llm.LlmSettings;
import aiops.app.runtime.Database;
import aiops.assistant.AssistantService;
import aiops.assistant.AssistantSettings;
import aiops.common.config.AiopsConfig;
import aiops.common.config.CoreConfig;
import aiops.common.http.ApiServer;
import aiops.common.http.Metrics;
import aiops.common.http.Readiness;
import aiops.common.kafka.KafkaSettings;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code aiops assistant}: the MCP server at /mcp and the assistant API against external Kafka and PostgreSQL. */
@Command(name = "assistant", mixinStandardHelpOptions = true,
        description = "Run the MCP server (Streamable HTTP at /mcp) and POST /api/v1/assistant/query, indexing "
                + "incidents, analyses and remediations, until stopped.")
public final class AssistantCommand implements Callable<Integer> {

    @Mixin
    private ConfigOption config;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final List<aiops.common.config.ConfigKey<?>> keys = new ArrayList<>(AssistantSettings.ALL);
        keys.addAll(aiops.analyzer.AnalyzerConfig.ALL);
        final AiopsConfig cfg = ProcessorApi.require(config.load(), keys);
        final AssistantSettings settings = AssistantSettings.from(cfg);
        final KafkaSettings kafka = KafkaSettings.from(cfg);
        return Lifecycle.runUntilStopped(spec, () -> {
            final PrometheusMeterRegistry metrics = Metrics.newRegistry("aiops-assistant");
            final HikariDataSource db = Database.pool(cfg, "aiops-assistant");
            final AssistantService assistant = AssistantService.start(kafka, db, settings, LlmSettings.from(cfg),
                    metrics, aiops.app.runtime.BuildInfo.version(), true);
            final ApiServer api = ProcessorApi.start(cfg, db, new Readiness().add("assistant", assistant::isHealthy),
                    metrics, assistant::register, assistant.mounts());
            return new Lifecycle.Started(api.port(), List.of(db, assistant, api, metrics::close));
        }, cfg.get(CoreConfig.HTTP_HOST));
    }
}
