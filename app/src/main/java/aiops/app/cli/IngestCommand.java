package aiops.app.cli;

import aiops.app.runtime.Database;
import aiops.app.runtime.Probes;
import aiops.common.config.AiopsConfig;
import aiops.common.config.CoreConfig;
import aiops.common.http.Metrics;
import aiops.common.kafka.KafkaSettings;
import aiops.ingest.IngestServer;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code aiops ingest}: the webhook and signal receivers alone, against external Kafka, registry and PostgreSQL. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Serve the signal receivers against external Kafka, registry and PostgreSQL until stopped.")
public final class IngestCommand implements Callable<Integer> {

    @Mixin
    private ConfigOption config;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final AiopsConfig cfg = config.load();
        final List<aiops.common.config.ConfigKey<?>> keys = new ArrayList<>(CoreConfig.PROCESSOR_KEYS);
        keys.add(CoreConfig.POSTGRES_URL.required());
        keys.add(CoreConfig.BOOTSTRAP_ADMIN_KEY);
        cfg.require(keys);
        final PrometheusMeterRegistry metrics = Metrics.newRegistry("aiops-ingest");
        final KafkaSettings kafka = KafkaSettings.from(cfg);
        return Lifecycle.runUntilStopped(spec, () -> {
            final HikariDataSource db = Database.pool(cfg, "aiops-ingest");
            final Probes probes = Probes.of(kafka, db);
            final IngestServer server = IngestServer.start(cfg, kafka, db, probes.readiness(), metrics);
            return new Lifecycle.Started(server.port(), List.of(server, probes, db, metrics::close));
        }, cfg.get(CoreConfig.HTTP_HOST));
    }
}
