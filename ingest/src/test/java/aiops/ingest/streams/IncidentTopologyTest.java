package aiops.ingest.streams;

import static aiops.ingest.streams.Signals.firing;
import static aiops.ingest.streams.Signals.resolved;
import static org.assertj.core.api.Assertions.assertThat;

import aiops.avro.AlertEvent;
import aiops.avro.AlertStatus;
import aiops.avro.EnrichedAlert;
import aiops.avro.Incident;
import aiops.avro.IncidentState;
import aiops.avro.LogLevel;
import aiops.avro.LogRecord;
import aiops.avro.MetricWindow;
import aiops.avro.ServiceEntry;
import aiops.avro.Severity;
import aiops.schemas.Headers;
import aiops.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IncidentTopologyTest {

    private TopologyTestDriver driver;
    private TestInputTopic<String, AlertEvent> alerts;
    private TestOutputTopic<String, EnrichedAlert> enriched;
    private TestOutputTopic<String, Incident> incidents;

    static TopologyTestDriver driver(final StreamsConfigKeys config) {
        return driver(config, InputBacklog.NONE);
    }

    static TopologyTestDriver driver(final StreamsConfigKeys config, final InputBacklog backlog) {
        final StreamsBuilder builder = new StreamsBuilder();
        IncidentTopology.build(builder, PlainAvroSerde.SERDES, config, backlog);
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "incident-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG, EventTimeExtractor.class);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.OnDeserialization.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.OnProcessing.class);
        final TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props);
        final TestInputTopic<String, ServiceEntry> catalog = driver.createInputTopic(Topics.CATALOG.name(),
                new StringSerializer(), new PlainAvroSerde<>(ServiceEntry.class).serializer());
        Signals.catalog().forEach(e -> catalog.pipeInput(e.getName(), e));
        return driver;
    }

    @BeforeEach
    void setUp() {
        driver = driver(StreamsConfigKeys.defaults().withRawPartitions(1));
        alerts = driver.createInputTopic(Topics.ALERTS_RAW.name(), new StringSerializer(),
                new PlainAvroSerde<>(AlertEvent.class).serializer());
        enriched = driver.createOutputTopic(Topics.ALERTS_ENRICHED.name(), Serdes.String().deserializer(),
                new PlainAvroSerde<>(EnrichedAlert.class).deserializer());
        incidents = driver.createOutputTopic(Topics.INCIDENTS.name(), Serdes.String().deserializer(),
                new PlainAvroSerde<>(Incident.class).deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private void send(final AlertEvent... events) {
        for (final AlertEvent e : events) {
            alerts.pipeInput(e.getFingerprint(), e);
        }
    }

    /** Latest version of every incident emitted so far. */
    private Map<String, Incident> latest() {
        final Map<String, Incident> out = new LinkedHashMap<>();
        incidents.readRecordsToList().forEach(r -> out.put(r.key(), r.value()));
        return out;
    }

    @Test
    void shouldEnrichAlertsFromTheCatalogue() {
        send(Signals.alert("a1", "payments", Severity.UNKNOWN, AlertStatus.FIRING, 0));

        final EnrichedAlert e = enriched.readValue();
        assertThat(e.getOwner()).isEqualTo("team-payments");
        assertThat(e.getTier()).isEqualTo(1);
        assertThat(e.getRunbook()).isEqualTo("https://runbooks.example/payments");
        assertThat(e.getKubernetes().getDeployment()).isEqualTo("payments");
        assertThat(e.getSeverity()).as("unknown severity on a tier-1 service").isEqualTo(Severity.HIGH);
    }

    @Test
    void shouldAbsorbRepeatsInsideTheDedupWindowAndCountThem() {
        send(firing("a1", "payments", 0), firing("a1", "payments", 60), firing("a1", "payments", 120),
                firing("a1", "payments", 400), resolved("a1", "payments", 410));

        final List<EnrichedAlert> out = enriched.readValuesToList();
        assertThat(out).extracting(e -> e.getAlert().getStatus())
                .containsExactly(AlertStatus.FIRING, AlertStatus.FIRING, AlertStatus.RESOLVED);
        assertThat(out.get(1).getRepeatCount()).as("the repeat after the window carries the absorbed ones").isEqualTo(3);
        assertThat(out.get(2).getRepeatCount()).isEqualTo(1);
    }

    @Test
    void shouldMarkAnAlertThatFlipsTooOftenAsFlapping() {
        send(firing("f", "cart", 0), resolved("f", "cart", 60), firing("f", "cart", 120), resolved("f", "cart", 180),
                firing("f", "cart", 240));

        final List<EnrichedAlert> out = enriched.readValuesToList();
        assertThat(out).hasSize(5);
        assertThat(out.get(3).getFlapping()).isFalse();
        assertThat(out.get(4).getFlapping()).isTrue();
    }

    @Test
    void shouldCorrelateACascadeIntoOneIncidentAndKeepUnrelatedAlertsApart() {
        send(firing("db", "payments-db", 0), firing("pay", "payments", 60), firing("co", "checkout", 120),
                firing("rep", "reporting", 130), firing("fe", "frontend", 200));
        driver.advanceWallClockTime(Duration.ofSeconds(10));

        final Map<String, Incident> byId = latest();
        assertThat(byId).hasSize(2);
        final Incident cascade = byId.values().stream().filter(i -> i.getServices().contains("payments-db"))
                .findFirst().orElseThrow();
        assertThat(cascade.getServices()).containsExactly("payments-db", "payments", "checkout", "frontend");
        assertThat(cascade.getAlerts()).hasSize(4);
        assertThat(byId.values().stream().filter(i -> i.getServices().equals(List.of("reporting")))).hasSize(1);
    }

    @Test
    void shouldEmitOnlyOnMaterialChangeWithIncreasingVersions() {
        send(firing("db", "payments-db", 0), firing("db2", "payments-db", 30), firing("pay", "payments", 60),
                Signals.alert("pay2", "payments", Severity.CRITICAL, AlertStatus.FIRING, 90));
        driver.advanceWallClockTime(Duration.ofSeconds(10));

        final List<TestRecord<String, Incident>> out = incidents.readRecordsToList();
        assertThat(out).extracting(r -> r.value().getChangeReason())
                .containsExactly("opened", "new_service", "severity_escalation");
        assertThat(out).extracting(r -> r.value().getVersion()).containsExactly(1, 2, 3);
        assertThat(out.get(2).value().getState()).isEqualTo(IncidentState.UPDATED);
        assertThat(out.get(2).value().getAlerts()).hasSize(4);
    }

    @Test
    void shouldOpenANewIncidentWhenTheGapIsExceededOrTheServiceIsTooFar() {
        send(firing("db", "payments-db", 0), firing("fe", "frontend", 30), firing("pay", "payments", 1500));
        driver.advanceWallClockTime(Duration.ofSeconds(10));

        assertThat(latest().values()).extracting(Incident::getServices)
                .containsExactlyInAnyOrder(List.of("payments-db"), List.of("frontend"), List.of("payments"));
    }

    @Test
    void shouldAttachAMetricSpikeToTheOpenIncidentOfItsServiceAndIgnoreNormalWindows() {
        final TestInputTopic<String, MetricWindow> metrics = driver.createInputTopic(Topics.METRIC_WINDOWS.name(),
                new StringSerializer(), new PlainAvroSerde<>(MetricWindow.class).serializer());
        for (int m = -15; m <= 0; m++) {
            metrics.pipeInput("payments-db/connections_used_ratio", window("payments-db", m, 0.30 + 0.01 * (m % 3)));
        }
        send(firing("db", "payments-db", 30));
        metrics.pipeInput("payments-db/connections_used_ratio", window("payments-db", 2, 0.98));
        metrics.pipeInput("reporting/error_ratio", window("reporting", 2, 0.5));
        driver.advanceWallClockTime(Duration.ofSeconds(10));

        final List<Incident> versions = incidents.readValuesToList();
        assertThat(versions).extracting(Incident::getChangeReason).containsExactly("opened", "new_anomaly");
        final Incident latest = versions.get(1);
        assertThat(latest.getAnomalies()).hasSize(1);
        assertThat(latest.getAnomalies().get(0).getKind()).isEqualTo("metric_spike");
        assertThat(latest.getAnomalies().get(0).getService()).isEqualTo("payments-db");
        assertThat(latest.getAnomalies().get(0).getScore()).isGreaterThan(4.0);
    }

    @Test
    void shouldAttachANewErrorTemplateAndALogBurstToTheOpenIncidentOfTheirService() {
        final TestInputTopic<String, LogRecord> logs = driver.createInputTopic(Topics.LOGS_RAW.name(),
                new StringSerializer(), new PlainAvroSerde<>(LogRecord.class).serializer());
        for (int m = -6; m < 0; m++) {
            logs.pipeInput("payments-db", log("payments-db", 60 * m, LogLevel.INFO, "connection from 10.0.0." + (m + 9)
                    + " accepted"));
        }
        send(firing("db", "payments-db", 30));
        logs.pipeInput("payments-db", log("payments-db", 40, LogLevel.ERROR,
                "remaining connection slots are reserved for non-replication superuser connections"));
        for (int i = 0; i < 25; i++) {
            logs.pipeInput("payments-db", log("payments-db", 60 + i, LogLevel.INFO, "connection from 10.0.1." + i
                    + " accepted"));
        }
        logs.pipeInput("payments-db", log("payments-db", 125, LogLevel.INFO, "connection from 10.0.2.1 accepted"));
        driver.advanceWallClockTime(Duration.ofSeconds(10));

        final List<Incident> versions = incidents.readValuesToList();
        final Incident latest = versions.get(versions.size() - 1);
        assertThat(latest.getAnomalies()).extracting(aiops.avro.Anomaly::getKind)
                .containsExactlyInAnyOrder("new_error_template", "log_burst");
        assertThat(latest.getAnomalies()).filteredOn(a -> a.getKind().equals("new_error_template")).singleElement()
                .satisfies(a -> assertThat(a.getSummary()).contains("remaining connection slots are reserved"));
        assertThat(latest.getAnomalies()).filteredOn(a -> a.getKind().equals("log_burst")).singleElement()
                .satisfies(a -> {
                    assertThat(a.getAttributes()).containsEntry("count", "25");
                    assertThat(a.getSummary()).contains("connection from <*> accepted");
                });
    }

    private static LogRecord log(final String service, final long secondsAfterT0, final LogLevel level,
                                 final String message) {
        final java.time.Instant at = Signals.T0.plusSeconds(secondsAfterT0);
        return LogRecord.newBuilder().setEventId(service + "-" + secondsAfterT0 + "-" + message.hashCode())
                .setService(service).setTimestamp(at).setLevel(level).setMessage(message).setReceivedAt(at).build();
    }

    private static MetricWindow window(final String service, final int minute, final double mean) {
        final java.time.Instant end = Signals.T0.plusSeconds(60L * minute);
        return MetricWindow.newBuilder().setService(service).setMetric(service.equals("reporting") ? "error_ratio"
                        : "connections_used_ratio").setWindowStart(end.minusSeconds(60)).setWindowEnd(end)
                .setCount(60).setMin(mean - 0.01).setMax(mean + 0.01).setMean(mean).setReceivedAt(end).build();
    }

    @Test
    void shouldNotJoinAnIncidentWhoseSignalsAreAllFarInTheFuture() {
        send(firing("future", "payments", 86_400), firing("now", "checkout", 0));
        driver.advanceWallClockTime(Duration.ofSeconds(10));

        assertThat(latest().values()).extracting(Incident::getServices)
                .containsExactlyInAnyOrder(List.of("payments"), List.of("checkout"));
    }

    @Test
    void shouldResolveWhenAllAlertsResolvedAndQuietThenReopenOnRefire() {
        send(firing("db", "payments-db", 0), firing("pay", "payments", 60), resolved("db", "payments-db", 300),
                resolved("pay", "payments", 310), firing("rep", "reporting", 1000));
        driver.advanceWallClockTime(Duration.ofSeconds(10));
        final Incident cascade = latest().values().stream().filter(i -> i.getServices().contains("payments"))
                .findFirst().orElseThrow();
        assertThat(cascade.getState()).isEqualTo(IncidentState.RESOLVED);
        assertThat(cascade.getResolvedAt()).isEqualTo(Signals.T0.plusSeconds(310));

        send(firing("db", "payments-db", 1200));
        driver.advanceWallClockTime(Duration.ofSeconds(10));
        final Incident reopened = latest().get(cascade.getIncidentId());
        assertThat(reopened.getChangeReason()).isEqualTo("reopened");
        assertThat(reopened.getState()).isEqualTo(IncidentState.UPDATED);
        assertThat(reopened.getVersion()).isGreaterThan(cascade.getVersion());
    }

    @Test
    void shouldSendPoisonRecordsToTheDlqWithTheReasonAndKeepProcessing() {
        final TestInputTopic<String, byte[]> raw = driver.createInputTopic(Topics.ALERTS_RAW.name(),
                new StringSerializer(), new ByteArraySerializer());
        final TestOutputTopic<byte[], byte[]> dlq = driver.createOutputTopic(Topics.DLQ.name(),
                Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());

        raw.pipeInput("poison", new byte[] {(byte) 0xff, 0x00, 0x13});
        send(firing("ok", "payments", 0));

        final TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("poison");
        assertThat(dead.value()).containsExactly((byte) 0xff, 0x00, 0x13);
        assertThat(new String(dead.headers().lastHeader(Headers.DLQ_SOURCE_TOPIC).value(), StandardCharsets.UTF_8))
                .isEqualTo(Topics.ALERTS_RAW.name());
        assertThat(new String(dead.headers().lastHeader(Headers.DLQ_REASON).value(), StandardCharsets.UTF_8))
                .isNotBlank();
        assertThat(enriched.readValue().getAlert().getFingerprint()).isEqualTo("ok");
    }
}
