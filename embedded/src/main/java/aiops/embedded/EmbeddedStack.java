package aiops.embedded;

import aiops.common.config.AiopsConfig;
import aiops.common.config.CoreConfig;
import aiops.common.kafka.KafkaSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the pipeline needs from outside, started in this JVM (the registry as a child process):
 * Kafka broker, PostgreSQL, schema registry. Data lives under {@code <home>/kafka}, {@code <home>/postgres} and
 * {@code <home>/registry}. With {@code AIOPS_REGISTRY_URL} set, that registry is used instead of forking one. One
 * stack at a time holds a home ({@link HomeLock}); a database or registry left running on it by a killed process
 * is stopped before starting.
 */
public final class EmbeddedStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStack.class);

    private final EmbeddedKafka kafka;
    private final EmbeddedPostgres postgres;
    private final EmbeddedRegistry registry;
    private final String registryUrl;
    private final Duration startTime;
    private final HomeLock lock;

    private EmbeddedStack(final EmbeddedKafka kafka, final EmbeddedPostgres postgres, final EmbeddedRegistry registry,
                          final String registryUrl, final Duration startTime, final HomeLock lock) {
        this.lock = lock;
        this.kafka = kafka;
        this.postgres = postgres;
        this.registry = registry;
        this.registryUrl = registryUrl;
        this.startTime = startTime;
    }

    /** The pid of the live process whose stack runs on {@code home}, if any. */
    public static java.util.OptionalLong ownerOf(final Path home) {
        return HomeLock.holder(home);
    }

    public static EmbeddedStack start(final AiopsConfig config) {
        final Instant begin = Instant.now();
        final Path home = Path.of(config.get(CoreConfig.HOME)).toAbsolutePath().normalize();
        final Optional<String> externalRegistry = config.optional(CoreConfig.REGISTRY_URL);
        final Path archive = config.optional(CoreConfig.REGISTRY_ARCHIVE).map(Path::of)
                .orElseGet(RegistryDistribution::defaultArchive);
        final String registryJava = config.optional(CoreConfig.REGISTRY_JAVA).orElse(null);
        final int kafkaPort = config.get(CoreConfig.EMBEDDED_KAFKA_PORT);
        final HomeLock lock = HomeLock.acquire(home);
        try {
            // Nobody alive holds this home: a database or registry still running on it was left by a killed process.
            EmbeddedPostgres.stopLeftover(home.resolve("postgres"));
            EmbeddedRegistry.stopLeftover(home.resolve("registry"));
            return start(home, externalRegistry, archive, registryJava, kafkaPort, begin, lock);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static EmbeddedStack start(final Path home, final Optional<String> externalRegistry, final Path archive,
                                       final String registryJava, final int kafkaPort, final Instant begin,
                                       final HomeLock lock) {

        // The registry is a separate JVM that takes a few seconds: start it while the broker and database start.
        final CompletableFuture<EmbeddedRegistry> registryStart = externalRegistry.isPresent()
                ? CompletableFuture.completedFuture(null)
                : CompletableFuture.supplyAsync(() -> EmbeddedRegistry.start(home.resolve("registry"), archive,
                        registryJava));
        EmbeddedKafka kafka = null;
        EmbeddedPostgres postgres = null;
        EmbeddedRegistry registry = null;
        try {
            kafka = EmbeddedKafka.start(home.resolve("kafka"), kafkaPort);
            postgres = EmbeddedPostgres.start(home.resolve("postgres"));
            registry = awaitRegistry(registryStart);
            final String url = registry == null ? externalRegistry.orElseThrow() : registry.apiUrl();
            final EmbeddedStack stack = new EmbeddedStack(kafka, postgres, registry, url,
                    Duration.between(begin, Instant.now()), lock);
            LOG.info("embedded stack ready in {} ms", stack.startTime.toMillis());
            return stack;
        } catch (RuntimeException e) {
            if (registry == null) {
                registryStart.thenAccept(r -> closeAll(r));
            }
            closeAll(registry, postgres, kafka);
            throw e;
        }
    }

    private static EmbeddedRegistry awaitRegistry(final CompletableFuture<EmbeddedRegistry> start) {
        try {
            return start.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    public KafkaSettings kafkaSettings() {
        return new KafkaSettings(kafka.bootstrapServers(), registryUrl, Map.of());
    }

    /** {@code config} pointed at this stack: bootstrap servers, registry and PostgreSQL fixed to the embedded ones. */
    public AiopsConfig configure(final AiopsConfig config) {
        return config.with(CoreConfig.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers())
                .with(CoreConfig.REGISTRY_URL, registryUrl)
                .with(CoreConfig.POSTGRES_URL, postgres.jdbcUrl());
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public EmbeddedPostgres postgres() {
        return postgres;
    }

    public String registryUrl() {
        return registryUrl;
    }

    public Duration startTime() {
        return startTime;
    }

    @Override
    public void close() {
        closeAll(registry, postgres, kafka);
        lock.close();
    }

    private static void closeAll(final AutoCloseable... parts) {
        for (final AutoCloseable part : parts) {
            if (part == null) {
                continue;
            }
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("{} did not stop cleanly: {}", part.getClass().getSimpleName(), e.getMessage());
            }
        }
    }
}
