package aiops.ingest;

import aiops.common.auth.ApiKeyStore;
import aiops.common.config.AiopsConfig;
import aiops.common.config.CoreConfig;
import aiops.common.http.ApiServer;
import aiops.common.http.AuthRoutes;
import aiops.common.http.HttpSecurity;
import aiops.common.http.Readiness;
import aiops.common.kafka.KafkaSettings;
import aiops.ingest.http.WebhookRoutes;
import aiops.ingest.publish.SignalPublisher;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest edge: the HTTP API with authentication, key administration and the signal receivers, writing to the
 * raw topics through an acknowledged publisher.
 */
public final class IngestServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IngestServer.class);

    private final SignalPublisher publisher;
    private final List<AutoCloseable> metricBindings;
    private final ApiServer api;

    private IngestServer(final SignalPublisher publisher, final List<AutoCloseable> metricBindings, final ApiServer api) {
        this.publisher = publisher;
        this.metricBindings = metricBindings;
        this.api = api;
    }

    /**
     * Migrates the auth tables, ensures the bootstrap admin key when configured, and starts serving.
     *
     * @throws SQLException when the key store cannot be prepared
     */
    public static IngestServer start(final AiopsConfig config, final KafkaSettings kafka, final DataSource dataSource,
                                     final Readiness readiness, final PrometheusMeterRegistry metrics)
            throws SQLException {
        return start(config, kafka, dataSource, readiness, metrics, routes -> { });
    }

    /** As {@link #start(AiopsConfig, KafkaSettings, DataSource, Readiness, PrometheusMeterRegistry)}, with more routes
     * (other modules' APIs in the one-JVM mode) on the same server and security. */
    public static IngestServer start(final AiopsConfig config, final KafkaSettings kafka, final DataSource dataSource,
                                     final Readiness readiness, final PrometheusMeterRegistry metrics,
                                     final java.util.function.Consumer<io.javalin.config.RoutesConfig> moreRoutes)
            throws SQLException {
        return start(config, kafka, dataSource, readiness, metrics, moreRoutes, List.of());
    }

    /** With servlets (the MCP endpoint) mounted on the same server behind the same security. */
    public static IngestServer start(final AiopsConfig config, final KafkaSettings kafka, final DataSource dataSource,
                                     final Readiness readiness, final PrometheusMeterRegistry metrics,
                                     final java.util.function.Consumer<io.javalin.config.RoutesConfig> moreRoutes,
                                     final List<ApiServer.Mount> mounts) throws SQLException {
        final ApiKeyStore keys = new ApiKeyStore(dataSource);
        ApiKeyStore.migrate(dataSource);
        final var adminKey = config.optional(CoreConfig.BOOTSTRAP_ADMIN_KEY);
        if (adminKey.isPresent()) {
            LOG.info("bootstrap admin key {}", keys.ensureAdminKey(adminKey.get()) ? "created" : "already present");
        }
        final Clock clock = Clock.systemUTC();
        final HttpSecurity security = HttpSecurity.from(config, keys, clock);
        final SignalPublisher publisher = new SignalPublisher(kafka, "aiops-ingest");
        final List<AutoCloseable> bindings = publisher.bindMetrics(metrics);
        try {
            final ApiServer api = ApiServer.start(config.get(CoreConfig.HTTP_HOST), config.get(CoreConfig.HTTP_PORT),
                    readiness, metrics, security, routes -> {
                        new AuthRoutes(security).register(routes);
                        moreRoutes.accept(routes);
                    }, mounts, new WebhookRoutes(publisher, security.hmac(), clock, metrics).routes());
            return new IngestServer(publisher, bindings, api);
        } catch (RuntimeException e) {
            publisher.close();
            throw e;
        }
    }

    public int port() {
        return api.port();
    }

    @Override
    public void close() {
        api.close();
        for (final AutoCloseable binding : metricBindings) {
            try {
                binding.close();
            } catch (Exception e) {
                LOG.debug("metric binding did not close", e);
            }
        }
        publisher.close();
    }
}
