package aiops.app.cli;

import aiops.app.runtime.EmbeddedRuntime;
import aiops.app.runtime.Pipeline;
import aiops.ledger.LedgerQueries;
import aiops.ledger.LedgerRoutes;
import aiops.remediator.RemediatorSettings;
import aiops.app.runtime.Probes;
import aiops.common.config.AiopsConfig;
import aiops.common.config.CoreConfig;
import aiops.common.http.Metrics;
import aiops.ingest.IngestServer;
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
        base.require(Pipeline.KEYS);
        final RemediatorSettings remediation = RemediatorSettings.from(base);
        return Lifecycle.runUntilStopped(spec, () -> {
            final PrometheusMeterRegistry metrics = Metrics.newRegistry("aiops");
            final EmbeddedRuntime runtime = EmbeddedRuntime.start(base);
            final Probes probes = Probes.of(runtime);
            final Pipeline pipeline = Pipeline.start(runtime, base, remediation, metrics);
            probes.readiness().add("streams", pipeline.streams()::isRunning);
            probes.readiness().add("analyzer", pipeline.analyzer()::isRunning);
            probes.readiness().add("ledger", pipeline.ledger()::isHealthy);
            probes.readiness().add("forecaster", pipeline.forecaster()::isHealthy);
            probes.readiness().add("remediator", pipeline.remediator()::isHealthy);
            probes.readiness().add("assistant", pipeline.assistant()::isHealthy);
            final LedgerRoutes ledgerRoutes = new LedgerRoutes(new LedgerQueries(runtime.dataSource()));
            final IngestServer ingest = IngestServer.start(runtime.config(), runtime.kafka(), runtime.dataSource(),
                    probes.readiness(), metrics, routes -> {
                        ledgerRoutes.register(routes);
                        pipeline.remediator().register(routes);
                        pipeline.forecaster().register(routes);
                        pipeline.assistant().register(routes);
                    }, pipeline.assistant().mounts());
            return new Lifecycle.Started(ingest.port(), List.of(runtime, probes, pipeline, ingest, metrics::close));
        }, base.get(CoreConfig.HTTP_HOST));
    }
}
