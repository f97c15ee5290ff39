package aiops.ingest.streams;

import static org.assertj.core.api.Assertions.assertThat;

import aiops.avro.AlertEvent;
import aiops.avro.Incident;
import aiops.avro.IncidentAlert;
import aiops.avro.LogRecord;
import aiops.avro.MetricWindow;
import aiops.avro.ServiceEntry;
import aiops.ingest.normalize.Normalized;
import aiops.ingest.normalize.SignalContext;
import aiops.ingest.normalize.SignalKind;
import aiops.ingest.scenario.Scenario;
import aiops.ingest.scenario.ScenarioReader;
import aiops.schemas.Topics;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each shipped scenario through the topology at once and paced in (simulated) wall-clock time, as a replay at
 * {@code --speed max}, {@code 10} and {@code 1} would feed it: event time decides, so the incidents are the same.
 */
class ReplayPacingTest {

    static List<Path> shipped() throws java.io.IOException {
        try (var dirs = Files.list(Path.of("..", "scenarios"))) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("signals.ndjson"))).sorted().toList();
        }
    }

    static Map<String, String> incidents(final Path scenario, final double speed) throws Exception {
        final Scenario storm = new ScenarioReader().read(scenario);
        try (TopologyTestDriver driver = IncidentTopologyTest.driver(StreamsConfigKeys.defaults())) {
            final TestInputTopic<String, ServiceEntry> catalog = driver.createInputTopic(Topics.CATALOG.name(),
                    new StringSerializer(), new PlainAvroSerde<>(ServiceEntry.class).serializer());
            try (InputStream in = Files.newInputStream(storm.catalog().orElseThrow())) {
                CatalogLoader.parse(in, "catalog.yaml").forEach(e -> catalog.pipeInput(e.getName(), e));
            }
            final TestInputTopic<String, AlertEvent> alerts = driver.createInputTopic(Topics.ALERTS_RAW.name(),
                    new StringSerializer(), new PlainAvroSerde<>(AlertEvent.class).serializer());
            final TestInputTopic<String, LogRecord> logs = driver.createInputTopic(Topics.LOGS_RAW.name(),
                    new StringSerializer(), new PlainAvroSerde<>(LogRecord.class).serializer());
            final TestInputTopic<String, MetricWindow> metrics = driver.createInputTopic(Topics.METRIC_WINDOWS.name(),
                    new StringSerializer(), new PlainAvroSerde<>(MetricWindow.class).serializer());
            final TestOutputTopic<String, Incident> out = driver.createOutputTopic(Topics.INCIDENTS.name(),
                    Serdes.String().deserializer(), new PlainAvroSerde<>(Incident.class).deserializer());
            Instant previous = storm.signals().get(0).at();
            for (final Scenario.Signal s : storm.signals()) {
                if (speed > 0) {
                    driver.advanceWallClockTime(Duration.ofMillis((long) (Duration.between(previous, s.at()).toMillis() / speed)));
                }
                previous = s.at();
                final Normalized n = SignalKind.parse(s.kind()).normalize(s.body(), new SignalContext(Instant.now(), "r", null));
                n.alerts().forEach(a -> alerts.pipeInput(a.getFingerprint(), a));
                n.logs().forEach(l -> logs.pipeInput(l.getService(), l));
                n.metrics().forEach(m -> metrics.pipeInput(m.getService() + "/" + m.getMetric(), m));
            }
            driver.advanceWallClockTime(Duration.ofSeconds(60));
            final Map<String, String> result = new TreeMap<>();
            out.readRecordsToList().forEach(r -> result.put(r.key(), shape(r.value())));
            return result;
        }
    }

    /**
     * What an incident finally materially is: its version count, state, severity, services, the kinds of anomaly
     * attached and its event times. Left out: repeat counts and alerts that joined without a material change (they
     * show in the next emitted version only, so they depend on when the buffer drained), and the order of the
     * intermediate versions (an anomaly reaching the correlator after later alerts is applied when it arrives).
     */
    static String shape(final Incident i) {
        return "v" + i.getVersion() + " " + i.getState() + " " + i.getSeverity() + " "
                + i.getServices() + " " + i.getAnomalies().stream().map(a -> a.getKind()).distinct().sorted().toList()
                + " " + i.getOpenedAt() + ".." + i.getResolvedAt();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shipped")
    void aShippedScenarioPacedAtTenOrAtOneShouldFormWhatItFormsAtFullSpeed(final Path scenario) throws Exception {
        final Map<String, String> max = incidents(scenario, 0);
        assertThat(max).isNotEmpty();
        assertThat(incidents(scenario, 10)).isEqualTo(max);
        assertThat(incidents(scenario, 1)).isEqualTo(max);
    }
}
