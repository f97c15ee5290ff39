package aiops.app.replay;

import aiops.app.runtime.EmbeddedRuntime;
import aiops.common.config.AiopsConfig;
import aiops.common.config.CoreConfig;
import aiops.common.kafka.KafkaSettings;

/**
 * Where a replay command works: the Kafka cluster named by {@code AIOPS_KAFKA_BOOTSTRAP_SERVERS} (its pipeline runs
 * elsewhere), or, when none is named, the embedded stack under {@code AIOPS_HOME}, whose data {@code aiops run} and
 * earlier replays left there.
 */
final class ReplayTarget implements AutoCloseable {

    private final KafkaSettings kafka;
    private final EmbeddedRuntime runtime;

    private ReplayTarget(final KafkaSettings kafka, final EmbeddedRuntime runtime) {
        this.kafka = kafka;
        this.runtime = runtime;
    }

    static boolean external(final AiopsConfig config) {
        return config.optional(CoreConfig.KAFKA_BOOTSTRAP_SERVERS).isPresent();
    }

    static ReplayTarget open(final AiopsConfig config) throws Exception {
        if (external(config)) {
            config.require(java.util.List.of(CoreConfig.KAFKA_BOOTSTRAP_SERVERS, CoreConfig.REGISTRY_URL));
            return new ReplayTarget(KafkaSettings.from(config), null);
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
