package aiops.app.cli;

import aiops.common.config.AiopsConfig;
import aiops.common.config.CoreConfig;
import aiops.common.http.ApiServer;
import aiops.common.http.Metrics;
import aiops.common.http.Readiness;
import aiops.common.kafka.KafkaSettings;
import aiops.app.runtime.Database;
import aiops.ingest.streams.StreamsConfigKeys;
import aiops.ingest.streams.StreamsService;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code aiops streams}: the enrichment, deduplication and correlation topology against external Kafka. */
@Command(name = "streams", mixinStandardHelpOptions = true,
        description = "Run the incident topology (Kafka Streams, exactly-once) against external Kafka until stopped.")
public final class StreamsCommand implements Callable<Integer> {

    @Mixin
    private ConfigOption config;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final AiopsConfig cfg = ProcessorApi.require(config.load(), StreamsConfigKeys.ALL);
        final KafkaSettings kafka = KafkaSettings.from(cfg);
        final Path stateDir = Path.of(cfg.get(CoreConfig.HOME)).resolve("streams");
        return Lifecycle.runUntilStopped(spec, () -> {
            final PrometheusMeterRegistry metrics = Metrics.newRegistry("aiops-streams");
            final StreamsService streams = StreamsService.start(kafka, cfg.get(StreamsConfigKeys.APPLICATION_ID),
                    stateDir, StreamsConfigKeys.from(cfg), metrics);
            final HikariDataSource db = Database.pool(cfg, "aiops-streams");
            final ApiServer api = ProcessorApi.start(cfg, db, new Readiness().add("streams", streams::isRunning),
                    metrics, routes -> { });
            return new Lifecycle.Started(api.port(), List.of(streams, db, api, metrics::close));
        }, cfg.get(CoreConfig.HTTP_HOST));
    }
}
