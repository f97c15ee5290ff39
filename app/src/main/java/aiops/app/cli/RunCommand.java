package aiops.app.cli;

import aiops.analyzer.Analyzer;
import aiops.analyzer.AnalyzerConfig;
import aiops.analyzer.llm.LlmSettings;
import aiops.app.runtime.EmbeddedRuntime;
import aiops.ledger.Ledger;
import aiops.ledger.LedgerQueries;
import aiops.ledger.LedgerRoutes;
import aiops.ledger.LedgerSettings;
import aiops.remediator.Remediator;
import aiops.remediator.RemediatorSettings;
import aiops.app.runtime.Probes;
import aiops.common.config.AiopsConfig;
import aiops.common.config.CoreConfig;
import aiops.common.http.Metrics;
import aiops.ingest.IngestServer;
import aiops.ingest.streams.StreamsConfigKeys;
import aiops.ingest.streams.StreamsService;
import java.nio.file.Path;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code aiops run}: the embedded pipeline kept running with its HTTP API, until Ctrl-C. Data persists under
 * {@code AIOPS_HOME}, so a restart continues where the last run stopped.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the pipeline in one JVM with the HTTP API on AIOPS_HTTP_PORT until Ctrl-C.")
public final class RunCommand implements Callable<Integer> {

    @Mixin
    private ConfigOption config;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final AiopsConfig base = config.load();
        final List<aiops.common.config.ConfigKey<?>> keys = new java.util.ArrayList<>(CoreConfig.EMBEDDED_KEYS);
        keys.addAll(StreamsConfigKeys.ALL);
        keys.addAll(AnalyzerConfig.ALL);
        keys.addAll(LedgerSettings.ALL);
        keys.addAll(RemediatorSettings.ALL);
        base.require(keys);
        final RemediatorSettings remediation = RemediatorSettings.from(base);
        final LlmSettings llm = LlmSettings.from(base);
        return Lifecycle.runUntilStopped(spec, () -> {
            final PrometheusMeterRegistry metrics = Metrics.newRegistry("aiops");
            final EmbeddedRuntime runtime = EmbeddedRuntime.start(base);
            final Probes probes = Probes.of(runtime);
            final StreamsService streams = StreamsService.start(runtime.kafka(),
                    base.get(StreamsConfigKeys.APPLICATION_ID), Path.of(base.get(CoreConfig.HOME)).resolve("streams"),
                    StreamsConfigKeys.from(base), metrics);
            probes.readiness().add("streams", streams::isRunning);
            final Analyzer analyzer = Analyzer.start(runtime.kafka(), AnalyzerConfig.Worker.from(base), llm, metrics);
            probes.readiness().add("analyzer", analyzer::isRunning);
            final Ledger ledger = Ledger.start(runtime.kafka(), runtime.dataSource(), LedgerSettings.from(base), metrics);
            probes.readiness().add("ledger", ledger::isHealthy);
            final Remediator remediator = Remediator.start(runtime.kafka(), runtime.dataSource(), remediation);
            probes.readiness().add("remediator", remediator::isHealthy);
            final LedgerRoutes ledgerRoutes = new LedgerRoutes(new LedgerQueries(runtime.dataSource()));
            final IngestServer ingest = IngestServer.start(runtime.config(), runtime.kafka(), runtime.dataSource(),
                    probes.readiness(), metrics, routes -> {
                        ledgerRoutes.register(routes);
                        remediator.register(routes);
                    });
            return new Lifecycle.Started(ingest.port(), List.of(runtime, probes, streams, analyzer, ledger, remediator,
                    ingest, metrics::close));
        }, base.get(CoreConfig.HTTP_HOST));
    }
}
