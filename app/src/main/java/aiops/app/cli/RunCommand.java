package aiops.app.cli;

import aiops.app.runtime.EmbeddedRuntime;
import aiops.app.runtime.Probes;
import aiops.common.config.AiopsConfig;
import aiops.common.config.CoreConfig;
import aiops.common.http.ApiServer;
import aiops.common.http.Metrics;
import aiops.ingest.auth.ApiKeyStore;
import aiops.ingest.publish.SignalPublisher;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    private ConfigOption config;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final AiopsConfig base = config.load();
        final List<String> problems = base.check(CoreConfig.EMBEDDED_KEYS);
        if (!problems.isEmpty()) {
            throw new aiops.common.config.ConfigException(String.join("; ", problems));
        }
        final String host = base.get(CoreConfig.HTTP_HOST);
        final int port = base.get(CoreConfig.HTTP_PORT);
        final CountDownLatch stopRequested = new CountDownLatch(1);
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopRequested.countDown();
            try {
                stopped.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "aiops-shutdown"));

        final PrometheusMeterRegistry metrics = Metrics.newRegistry("aiops");
        try (EmbeddedRuntime runtime = EmbeddedRuntime.start(base);
             SignalPublisher publisher = new SignalPublisher(runtime.kafka(), "aiops-ingest")) {
            final List<AutoCloseable> bindings = publisher.bindMetrics(metrics);
            final var adminKey = base.optional(CoreConfig.BOOTSTRAP_ADMIN_KEY);
            if (adminKey.isPresent()) {
                final boolean created = new ApiKeyStore(runtime.dataSource()).ensureAdminKey(adminKey.get());
                LOG.info("bootstrap admin key {}", created ? "created" : "already present");
            }
            try (Probes probes = Probes.of(runtime);
                 ApiServer api = ApiServer.start(host, port, probes.readiness(), metrics, routes -> { })) {
                final PrintWriter out = spec.commandLine().getOut();
                out.println("ready http://" + displayHost(host) + ":" + api.port());
                out.flush();
                stopRequested.await();
                LOG.info("stopping");
            } finally {
                for (final AutoCloseable binding : bindings) {
                    binding.close();
                }
            }
        } finally {
            metrics.close();
            stopped.countDown();
        }
        return 0;
    }

    private static String displayHost(final String host) {
        return "0.0.0.0".equals(host) || "::".equals(host) ? "127.0.0.1" : host;
    }
}
