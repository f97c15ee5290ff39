package aiops.app.replay;

import aiops.app.runtime.EmbeddedRuntime;
import aiops.common.config.AiopsConfig;
import aiops.common.config.CoreConfig;
import aiops.common.kafka.KafkaSettings;

/**
 * Where a replay command works: the Kafka cluster named by {@code AIOPS_KAFKA_BOOTSTRAP_SERVERS} (its pipeline runs
 * elsewhere); else the pipeline an {@code aiops run} is running on {@code AIOPS_HOME} right now; else the embedded
 * stack under {@code AIOPS_HOME}, started here, whose data {@code aiops run} and earlier replays left there.
 */
final class ReplayTarget implements AutoCloseable {

    private final KafkaSettings kafka;
    private final EmbeddedRuntime runtime;

    private ReplayTarget(final KafkaSettings kafka, final EmbeddedRuntime runtime) {
        this.kafka = kafka;
        this.runtime = runtime;
    }

    /** True when the pipeline runs in other processes: a configured cluster, or a running {@code aiops run}. */
    static boolean external(final AiopsConfig config) {
        return config.optional(CoreConfig.KAFKA_BOOTSTRAP_SERVERS).isPresent() || running(config).isPresent();
    }

    private static java.util.Optional<KafkaSettings> running(final AiopsConfig config) {
        return aiops.app.runtime.RunningPipeline.find(java.nio.file.Path.of(config.get(CoreConfig.HOME)));
    }

    static ReplayTarget open(final AiopsConfig config) throws Exception {
        if (config.optional(CoreConfig.KAFKA_BOOTSTRAP_SERVERS).isPresent()) {
            config.require(java.util.List.of(CoreConfig.KAFKA_BOOTSTRAP_SERVERS, CoreConfig.REGISTRY_URL));
            return new ReplayTarget(KafkaSettings.from(config), null);
        }
        final java.util.Optional<KafkaSettings> running = running(config);
        if (running.isPresent()) {
            System.err.println("using the pipeline running on " + config.get(CoreConfig.HOME) + " (Kafka "
                    + running.get().bootstrapServers() + ")");
            return new ReplayTarget(running.get(), null);
        }
        try {
            final EmbeddedRuntime runtime = EmbeddedRuntime.start(config);
            return new ReplayTarget(runtime.kafka(), runtime);
        } catch (final RuntimeException e) {
            throw new IllegalStateException("could not start the embedded pipeline under " + config.get(CoreConfig.HOME)
                    + " (is 'aiops run' using it? then set AIOPS_KAFKA_BOOTSTRAP_SERVERS and AIOPS_REGISTRY_URL to its"
                    + " broker and registry): " + e.getMessage(), e);
        }
    }

    KafkaSettings kafka() {
        return kafka;
    }

    /** The embedded runtime, or null when the pipeline runs elsewhere. */
    EmbeddedRuntime runtime() {
        return runtime;
    }

    @Override
    public void close() {
        if (runtime != null) {
            runtime.close();
        }
    }
}
