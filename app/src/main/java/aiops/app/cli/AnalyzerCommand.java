package aiops.app.cli;

import aiops.analyzer.Analyzer;
import aiops.analyzer.AnalyzerConfig;
import aiops.analyzer.llm.LlmSettings;
import aiops.app.runtime.Database;
import aiops.common.config.AiopsConfig;
import aiops.common.config.CoreConfig;
import aiops.common.http.ApiServer;
import aiops.common.http.Metrics;
import aiops.common.http.Readiness;
import aiops.common.kafka.KafkaSettings;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code aiops analyzer}: root-cause analysis workers against external Kafka. */
@Command(name = "analyzer", mixinStandardHelpOptions = true,
        description = "Run the analyzer (LLM through langchain4j, or the offline analyst) against external Kafka "
                + "until stopped.")
public final class AnalyzerCommand implements Callable<Integer> {

    @Mixin
    private ConfigOption config;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final AiopsConfig cfg = ProcessorApi.require(config.load(), AnalyzerConfig.ALL);
        final LlmSettings llm = LlmSettings.from(cfg);
        final KafkaSettings kafka = KafkaSettings.from(cfg);
        return Lifecycle.runUntilStopped(spec, () -> {
            final PrometheusMeterRegistry metrics = Metrics.newRegistry("aiops-analyzer");
            final Analyzer analyzer = Analyzer.start(kafka, AnalyzerConfig.Worker.from(cfg), llm, metrics);
            final HikariDataSource db = Database.pool(cfg, "aiops-analyzer");
            final ApiServer api = ProcessorApi.start(cfg, db, new Readiness().add("analyzer", analyzer::isRunning),
                    metrics, routes -> { });
            return new Lifecycle.Started(api.port(), List.of(analyzer, db, api, metrics::close));
        }, cfg.get(CoreConfig.HTTP_HOST));
    }
}
