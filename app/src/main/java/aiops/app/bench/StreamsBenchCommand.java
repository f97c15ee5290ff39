package aiops.app.bench;

import aiops.app.cli.ConfigOption;
import aiops.app.runtime.EmbeddedRuntime;
import aiops.app.runtime.PipelineCounts;
import aiops.app.runtime.Quiescence;
import aiops.avro.AlertEvent;
import aiops.avro.AlertStatus;
import aiops.avro.Severity;
import aiops.common.config.AiopsConfig;
import aiops.common.http.Metrics;
import aiops.ingest.streams.CatalogLoader;
import aiops.ingest.streams.IncidentTopology;
import aiops.ingest.streams.StreamsConfigKeys;
import aiops.ingest.streams.StreamsService;
import aiops.schemas.AvroSerdes;
import aiops.schemas.Topics;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code aiops bench streams}: pre-loads a generated alert storm (cascading episodes over the storm catalogue, each
 * alert re-sent every 10 s while it fires) onto the embedded broker and measures how fast the incident topology
 * consumes it once warm. A warm-up storm of {@code --warmup-events} goes first (start-up, the first rebalance and the
 * first JIT compilations fall in it); when the topology has caught up with it, it is paused, the measured storm is
 * loaded behind it in event time, and the clock runs from resuming until the application has committed every input
 * again, so every stage's work on the measured events falls inside the window. Incidents are read back from the topic.
 */
@Command(name = "streams", mixinStandardHelpOptions = true,
        description = "Incident topology throughput on a pre-loaded alert storm.")
public final class StreamsBenchCommand implements Callable<Integer> {

    private static final String[][] CASCADE = {
        {"payments-db", "PostgresConnectionsSaturated"}, {"payments", "HighLatencyP95"}, {"checkout", "HighErrorRate"},
        {"frontend", "Frontend5xx"}, {"cart", "CartTimeouts"}};

    @Mixin
    private ConfigOption config;

    @Option(names = "--events", defaultValue = "300000", description = "Alert events to pre-load. Default: ${DEFAULT-VALUE}.")
    private int events;

    @Option(names = "--warmup-events", defaultValue = "600000",
            description = "Alert events processed before the clock starts. Default: ${DEFAULT-VALUE}.")
    private int warmupEvents;

    @Option(names = "--json", description = "Print only the JSON result line.")
    private boolean json;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final PrintWriter out = spec.commandLine().getOut();
        final AiopsConfig base = config.load();
        try (EmbeddedRuntime runtime = EmbeddedRuntime.startFresh(base, "bench-streams")) {
            try (InputStream catalog = getClass().getClassLoader().getResourceAsStream("scenarios/storm/catalog.yaml")) {
                CatalogLoader.publish(runtime.kafka(), CatalogLoader.parse(catalog, "storm catalog"));
            }
            final int warmupEpisodes = warmupEvents == 0 ? 0 : preload(runtime, 0, warmupEvents);
            final String app = "aiops-bench-streams";
            final List<String> inputs = IncidentTopology.alertInputs(app);
            try (StreamsService streams = StreamsService.start(runtime.kafka(), app, runtime.home().resolve("streams"),
                    StreamsConfigKeys.defaults(), Metrics.newRegistry("bench"))) {
                if (warmupEvents > 0) {
                    final long warmStart = System.nanoTime();
                    if (!Quiescence.awaitCaughtUp(runtime.kafka(), app, inputs, Duration.ofMinutes(10))) {
                        throw new IllegalStateException("the topology did not catch up with the warm-up storm");
                    }
                    progress(out, "warm-up: %d alert events in %.1f s%n", warmupEvents,
                            (System.nanoTime() - warmStart) / 1e9);
                    streams.pause();
                }
                final int episodes = warmupEpisodes + preload(runtime, warmupEpisodes, events);
                progress(out, "pre-loaded %d alert events; measuring%n", events);
                final long start = System.nanoTime();
                streams.resume();
                final boolean caughtUp = Quiescence.awaitCaughtUp(runtime.kafka(), app, inputs, Duration.ofMinutes(10));
                final double seconds = (System.nanoTime() - start) / 1e9;
                final int total = warmupEvents + events;
                // The tail of the storm waits in the reorder buffer until the input has been idle for a moment.
                final long incidents = PipelineCounts.awaitStable(runtime, StreamsConfigKeys.defaults().idleFlush())
                        .incidents();
                final Map<String, Object> result = new LinkedHashMap<>();
                result.put("events", events);
                result.put("events_per_s", Math.round(events / seconds));
                result.put("alerts_in", total);
                result.put("incidents", incidents);
                result.put("noise_reduction", incidents == 0 ? 0 : Math.round(100.0 * total / incidents) / 100.0);
                result.put("incidents_expected", episodes);
                result.put("episodes", episodes);
                result.put("warmup_events", warmupEvents);
                result.put("seconds", Math.round(seconds * 100) / 100.0);
                result.put("caught_up", caughtUp);
                result.put("cores", Runtime.getRuntime().availableProcessors());
                out.println(new ObjectMapper().writeValueAsString(result));
                out.flush();
                return caughtUp ? 0 : 1;
            }
        }
    }

    private void progress(final PrintWriter out, final String format, final Object... args) {
        if (!json) {
            out.printf(Locale.ROOT, format, args);
            out.flush();
        }
    }

    /**
     * Episodes 20 minutes apart (beyond the correlation gap), each five services firing for five minutes, numbered
     * from {@code firstEpisode} so that a second storm follows the first in event time.
     * @return the number of episodes sent
     */
    private static int preload(final EmbeddedRuntime runtime, final int firstEpisode, final int events)
            throws Exception {
        final int perEpisode = CASCADE.length * 30;
        final int episodes = Math.max(1, (events + perEpisode - 1) / perEpisode);
        final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        int sent = 0;
        try (Serde<AlertEvent> serde = AvroSerdes.valueSerde(Topics.ALERTS_RAW, runtime.kafka().registryConfig());
             KafkaProducer<String, AlertEvent> producer = new KafkaProducer<>(runtime.kafka().producerProps("bench-load"),
                     new StringSerializer(), serde.serializer())) {
            for (int e = firstEpisode; e < firstEpisode + episodes && sent < events; e++) {
                final Instant episode = t0.plus(Duration.ofMinutes(20L * e));
                for (int tick = 0; tick < 30 && sent < events; tick++) {
                    for (int s = 0; s < CASCADE.length && sent < events; s++) {
                        final Instant at = episode.plusSeconds(10L * tick + 2L * s);
                        final String fingerprint = "bench-" + e + "-" + s;
                        final boolean last = tick == 29;
                        final AlertEvent alert = AlertEvent.newBuilder().setEventId(fingerprint + "-" + tick)
                                .setFingerprint(fingerprint).setSource("bench").setName(CASCADE[s][1])
                                .setService(CASCADE[s][0]).setSeverity(s == 0 ? Severity.CRITICAL : Severity.WARNING)
                                .setStatus(last ? AlertStatus.RESOLVED : AlertStatus.FIRING)
                                .setStartsAt(episode).setEndsAt(last ? at : null).setEventTime(at).setReceivedAt(at)
                                .setLabels(Map.of("service", CASCADE[s][0])).build();
                        producer.send(new ProducerRecord<>(Topics.ALERTS_RAW.name(), fingerprint, alert));
                        sent++;
                    }
                }
            }
            producer.flush();
        }
        return episodes;
    }
}
