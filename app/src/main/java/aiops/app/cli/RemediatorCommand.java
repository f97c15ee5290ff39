package aiops.app.cli;

import aiops.app.runtime.Database;
import aiops.common.config.AiopsConfig;
import aiops.common.config.CoreConfig;
import aiops.common.http.ApiServer;
import aiops.common.http.Metrics;
import aiops.common.http.Readiness;
import aiops.common.kafka.KafkaSettings;
import aiops.remediator.Remediator;
import aiops.remediator.RemediatorSettings;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code aiops remediator}: policy-gated remediation and notifications against external Kafka and PostgreSQL. */
@Command(name = "remediator", mixinStandardHelpOptions = true,
        description = "Run the remediator (policy, approvals, Kubernetes and webhook actions, notifications) until stopped.")
public final class RemediatorCommand implements Callable<Integer> {

    @Mixin
    private ConfigOption config;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final AiopsConfig cfg = ProcessorApi.require(config.load(), RemediatorSettings.ALL);
        final RemediatorSettings settings = RemediatorSettings.from(cfg);
        final KafkaSettings kafka = KafkaSettings.from(cfg);
        return Lifecycle.runUntilStopped(spec, () -> {
            final PrometheusMeterRegistry metrics = Metrics.newRegistry("aiops-remediator");
            final HikariDataSource db = Database.pool(cfg, "aiops-remediator");
            final Remediator remediator = Remediator.start(kafka, db, settings);
            final ApiServer api = ProcessorApi.start(cfg, db, new Readiness().add("remediator", remediator::isHealthy),
                    metrics, remediator::register);
            return new Lifecycle.Started(api.port(), List.of(db, remediator, api, metrics::close));
        }, cfg.get(CoreConfig.HTTP_HOST));
    }
}
