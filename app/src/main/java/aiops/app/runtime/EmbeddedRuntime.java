package aiops.app.runtime;

import aiops.common.config.AiopsConfig;
import aiops.common.config.CoreConfig;
import aiops.common.kafka.KafkaSettings;
import aiops.common.kafka.TopicAdmin;
import aiops.embedded.EmbeddedStack;
import aiops.common.auth.ApiKeyStore;
import aiops.ledger.LedgerSchema;
import aiops.schemas.Topics;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-JVM pipeline: the embedded stack, every catalogue topic, the database schema, and every processor that
 * exists so far. {@code aiops demo} and {@code aiops run} both start exactly this.
 */
public final class EmbeddedRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRuntime.class);

    private final EmbeddedStack stack;
    private final AiopsConfig config;
    private final HikariDataSource dataSource;
    private final TopicAdmin.Result topics;

    private EmbeddedRuntime(final EmbeddedStack stack, final AiopsConfig config, final HikariDataSource dataSource,
                            final TopicAdmin.Result topics) {
        this.stack = stack;
        this.config = config;
        this.dataSource = dataSource;
        this.topics = topics;
    }

    public static EmbeddedRuntime start(final AiopsConfig base) throws InterruptedException {
        final EmbeddedStack stack = EmbeddedStack.start(base);
        HikariDataSource dataSource = null;
        try {
            final AiopsConfig config = stack.configure(base);
            final TopicAdmin.Result topics;
            try (Admin admin = Admin.create(stack.kafkaSettings().adminProps())) {
                topics = TopicAdmin.ensureTopics(admin, Topics.ALL, 1);
            }
            dataSource = dataSource(stack.postgres().jdbcUrl());
            final int migrations = LedgerSchema.migrate(dataSource) + ApiKeyStore.migrate(dataSource);
            LOG.info("{} topics ({} created), {} database migrations applied", topics.total(), topics.created().size(),
                    migrations);
            final EmbeddedRuntime runtime = new EmbeddedRuntime(stack, config, dataSource, topics);
            try {
                RunningPipeline.write(runtime.home(), stack.kafkaSettings(), stack.postgres().jdbcUrl());
            } catch (final java.io.IOException io) {
                throw new java.io.UncheckedIOException("could not write " + RunningPipeline.FILE, io);
            }
            return runtime;
        } catch (RuntimeException | InterruptedException e) {
            if (dataSource != null) {
                dataSource.close();
            }
            stack.close();
            throw e;
        }
    }

    /**
     * A throw-away run (demo, bench, eval) under {@code <home>/<name>}: its Kafka, PostgreSQL, Streams and registry
     * data are wiped first; the unpacked registry server there is kept.
     */
    public static EmbeddedRuntime startFresh(final AiopsConfig base, final String name)
            throws InterruptedException, java.io.IOException {
        final java.nio.file.Path home = java.nio.file.Path.of(base.get(CoreConfig.HOME)).resolve(name)
                .toAbsolutePath().normalize();
        DataDirs.wipe(home, "kafka", "postgres", "streams", "registry/db");
        return start(base.with(CoreConfig.HOME, home.toString()));
    }

    /** The data directory of this run. */
    public java.nio.file.Path home() {
        return java.nio.file.Path.of(config.get(CoreConfig.HOME));
    }

    public static HikariDataSource dataSource(final String jdbcUrl) {
        final HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(jdbcUrl);
        hikari.setPoolName("aiops");
        hikari.setMaximumPoolSize(10);
        return new HikariDataSource(hikari);
    }

    public KafkaSettings kafka() {
        return stack.kafkaSettings();
    }

    public AiopsConfig config() {
        return config;
    }

    public HikariDataSource dataSource() {
        return dataSource;
    }

    public EmbeddedStack stack() {
        return stack;
    }

    public TopicAdmin.Result topics() {
        return topics;
    }

    @Override
    public void close() {
        RunningPipeline.remove(home());
        dataSource.close();
        stack.close();
    }
}
