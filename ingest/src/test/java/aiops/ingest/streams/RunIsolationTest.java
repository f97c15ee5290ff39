package aiops.ingest.streams;

import static aiops.ingest.streams.Signals.firing;
import static org.assertj.core.api.Assertions.assertThat;

import aiops.avro.AlertEvent;
import aiops.avro.EnrichedAlert;
import aiops.avro.Incident;
import aiops.avro.MetricWindow;
import aiops.schemas.Topics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Live traffic and each replay run are separate correlation domains, even for identical signals. */
class RunIsolationTest {

    private TopologyTestDriver driver;
    private TestInputTopic<String, AlertEvent> alerts;
    private TestInputTopic<String, MetricWindow> metrics;
    private TestOutputTopic<String, EnrichedAlert> enriched;
    private TestOutputTopic<String, Incident> incidents;

    @BeforeEach
    void setUp() {
        driver = IncidentTopologyTest.driver(StreamsConfigKeys.defaults().withRawPartitions(1));
        alerts = driver.createInputTopic(Topics.ALERTS_RAW.name(), new StringSerializer(),
                new PlainAvroSerde<>(AlertEvent.class).serializer());
        metrics = driver.createInputTopic(Topics.METRIC_WINDOWS.name(), new StringSerializer(),
                new PlainAvroSerde<>(MetricWindow.class).serializer());
        enriched = driver.createOutputTopic(Topics.ALERTS_ENRICHED.name(), Serdes.String().deserializer(),
                new PlainAvroSerde<>(EnrichedAlert.class).deserializer());
        incidents = driver.createOutputTopic(Topics.INCIDENTS.name(), Serdes.String().deserializer(),
                new PlainAvroSerde<>(Incident.class).deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private static AlertEvent inRun(final AlertEvent alert, final String run) {
        return AlertEvent.newBuilder(alert).setReplayRunId(run).build();
    }

    private void cascade(final String run) {
        for (final AlertEvent a : List.of(firing("db", "payments-db", 0), firing("pay", "payments", 60),
                firing("co", "checkout", 120))) {
            alerts.pipeInput(a.getFingerprint(), inRun(a, run));
        }
    }

    private Map<String, Incident> latest() {
        final Map<String, Incident> out = new LinkedHashMap<>();
        incidents.readRecordsToList().forEach(r -> out.put(r.key(), r.value()));
        return out;
    }

    @Test
    void theSameSignalsLiveAndInTwoRunsShouldFormThreeSeparateIdenticalIncidents() {
        cascade(null);
        cascade("run-a");
        cascade("run-b");
        driver.advanceWallClockTime(Duration.ofSeconds(10));

        final Map<String, Incident> byId = latest();
        assertThat(byId).hasSize(3);
        assertThat(byId.values()).extracting(Incident::getReplayRunId)
                .containsExactlyInAnyOrder(null, "run-a", "run-b");
        assertThat(byId.values()).allSatisfy(i -> {
            assertThat(i.getServices()).containsExactly("payments-db", "payments", "checkout");
            assertThat(i.getAlerts()).hasSize(3);
            assertThat(i.getVersion()).isEqualTo(3);
        });
    }

    @Test
    void aReplayedAlertShouldNotBeAbsorbedAsARepeatOfTheLiveOne() {
        alerts.pipeInput("db", firing("db", "payments-db", 0));
        alerts.pipeInput("db", inRun(firing("db", "payments-db", 30), "run-a"));

        final List<EnrichedAlert> out = enriched.readValuesToList();
        assertThat(out).hasSize(2);
        assertThat(out).allSatisfy(e -> assertThat(e.getRepeatCount()).isEqualTo(1));
    }

    @Test
    void aReplayedAlertShouldNeverJoinAnOpenLiveIncidentOfANeighbour() {
        alerts.pipeInput("db", firing("db", "payments-db", 0));
        alerts.pipeInput("pay", inRun(firing("pay", "payments", 60), "run-a"));
        alerts.pipeInput("co", firing("co", "checkout", 90));
        driver.advanceWallClockTime(Duration.ofSeconds(10));

        final Map<String, Incident> byId = latest();
        assertThat(byId.values()).extracting(Incident::getServices)
                .containsExactlyInAnyOrder(List.of("payments-db", "checkout"), List.of("payments"));
    }

    @Test
    void aReplayShouldTrainItsOwnMetricBaselineNotTheLiveOne() {
        for (int m = -15; m <= 0; m++) {
            metrics.pipeInput("payments-db/connections_used_ratio", window(null, m, 0.30 + 0.01 * (m % 3)));
        }
        // A replay whose normal is high: inside its own domain it is just warming up, never an anomaly of the live series.
        for (int m = 1; m <= 5; m++) {
            metrics.pipeInput("payments-db/connections_used_ratio", window("run-a", m, 0.95));
        }
        alerts.pipeInput("db", inRun(firing("db", "payments-db", 60), "run-a"));
        alerts.pipeInput("db", firing("db", "payments-db", 60));
        metrics.pipeInput("payments-db/connections_used_ratio", window(null, 2, 0.31));
        driver.advanceWallClockTime(Duration.ofSeconds(10));

        assertThat(latest().values()).hasSize(2).allSatisfy(i -> assertThat(i.getAnomalies()).isEmpty());
    }

    private static MetricWindow window(final String run, final int minute, final double mean) {
        return MetricWindow.newBuilder().setService("payments-db").setMetric("connections_used_ratio")
                .setWindowStart(Signals.T0.plusSeconds(60L * minute - 60)).setWindowEnd(Signals.T0.plusSeconds(60L * minute))
                .setCount(60).setMin(mean).setMax(mean).setMean(mean).setUnit("ratio").setReceivedAt(Signals.T0)
                .setReplayRunId(run).build();
    }
}
