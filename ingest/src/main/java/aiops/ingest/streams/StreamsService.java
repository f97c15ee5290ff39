package aiops.ingest.streams;

import aiops.common.kafka.KafkaSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The incident topology as a running Kafka Streams application: {@link #start} waits for RUNNING or fails loudly. */
public final class StreamsService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsService.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaStreams streams;
    private final KafkaStreamsMetrics metrics;

    private StreamsService(final KafkaStreams streams, final KafkaStreamsMetrics metrics) {
        this.streams = streams;
        this.metrics = metrics;
    }

    public static StreamsService start(final KafkaSettings kafka, final String applicationId, final Path stateDir,
                                       final StreamsConfigKeys config, final MeterRegistry registry)
            throws InterruptedException {
        final StreamsBuilder builder = new StreamsBuilder();
        final FetchLagBacklog backlog = new FetchLagBacklog(applicationId);
        IncidentTopology.build(builder, TopologySerdes.registry(kafka.registryConfig()), config, backlog);
        final KafkaStreams streams = new KafkaStreams(builder.build(),
                IncidentTopology.properties(kafka, applicationId, stateDir));
        backlog.attach(streams);
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed; replacing it", e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                    .REPLACE_THREAD;
        });
        final KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams);
        metrics.bindTo(registry);
        streams.start();
        final Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (Instant.now().isAfter(deadline) || !streams.state().isRunningOrRebalancing()
                    && streams.state() != KafkaStreams.State.CREATED) {
                final KafkaStreams.State state = streams.state();
                metrics.close();
                streams.close(Duration.ofSeconds(10));
                throw new IllegalStateException("Kafka Streams did not reach RUNNING (state " + state + ")");
            }
            Thread.sleep(50);
        }
        LOG.info("streams application {} running", applicationId);
        return new StreamsService(streams, metrics);
    }

    /** Stops processing and punctuation while staying in the group; the input keeps accumulating. */
    public void pause() {
        streams.pause();
    }

    public void resume() {
        streams.resume();
    }

    public boolean isRunning() {
        return streams.state() == KafkaStreams.State.RUNNING || streams.state() == KafkaStreams.State.REBALANCING;
    }

    /**
     * Stops and leaves the consumer group, so that a restarted or another instance takes over the partitions at once
     * instead of after the session timeout.
     */
    @Override
    public void close() {
        metrics.close();
        streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    }
}
