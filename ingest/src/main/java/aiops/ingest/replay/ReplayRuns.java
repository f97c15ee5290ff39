package aiops.ingest.replay;

import aiops.avro.ReplayRun;
import aiops.avro.ReplayStatus;
import aiops.common.kafka.KafkaSettings;
import aiops.common.kafka.TopicSnapshot;
import aiops.schemas.AvroSerdes;
import aiops.schemas.Topics;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The run records on the compacted {@code aiops.replays}: written, acknowledged, before the first signal of a run (so
 * the remediator knows a run's permissions before any of its records can reach it) and again when it ends.
 */
public final class ReplayRuns implements AutoCloseable {

    private final Serde<ReplayRun> serde;
    private final KafkaProducer<String, ReplayRun> producer;

    public ReplayRuns(final KafkaSettings kafka) {
        this.serde = AvroSerdes.valueSerde(Topics.REPLAYS, kafka.registryConfig());
        this.producer = new KafkaProducer<>(kafka.producerProps("aiops-replay-runs"), new StringSerializer(),
                serde.serializer());
    }

    public static ReplayRun started(final String runId, final String source, final ReplaySpeed speed,
                                    final boolean allowSideEffects, final Instant at) {
        return ReplayRun.newBuilder().setRunId(runId).setSource(source).setStatus(ReplayStatus.RUNNING)
                .setSpeed(speed.toString()).setAllowSideEffects(allowSideEffects).setStartedAt(at).build();
    }

    public static ReplayRun finished(final ReplayRun run, final long signals, final long records, final String error,
                                     final Instant at) {
        return ReplayRun.newBuilder(run).setStatus(error == null ? ReplayStatus.FINISHED : ReplayStatus.FAILED)
                .setSignals(signals).setRecords(records).setError(error).setFinishedAt(at).build();
    }

    /** Writes and waits for the acknowledgement. */
    public void put(final ReplayRun run) {
        try {
            producer.send(new ProducerRecord<>(Topics.REPLAYS.name(), run.getRunId(), run)).get(30, TimeUnit.SECONDS);
        } catch (final ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not record replay run " + run.getRunId() + ": " + e.getMessage(), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording replay run " + run.getRunId(), e);
        }
    }

    /** Every run recorded, latest record per run, oldest start first. */
    public static List<ReplayRun> all(final KafkaSettings kafka) {
        final Map<String, ReplayRun> latest = new LinkedHashMap<>();
        TopicSnapshot.values(kafka, Topics.REPLAYS).forEach(r -> latest.put(r.getRunId(), r));
        return latest.values().stream().sorted(java.util.Comparator.comparing(ReplayRun::getStartedAt)).toList();
    }

    @Override
    public void close() {
        producer.close();
        serde.close();
    }
}
