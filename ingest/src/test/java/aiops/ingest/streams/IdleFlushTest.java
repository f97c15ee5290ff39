package aiops.ingest.streams;

import static aiops.ingest.streams.Signals.firing;
import static org.assertj.core.api.Assertions.assertThat;

import aiops.avro.AlertEvent;
import aiops.avro.Incident;
import aiops.schemas.Topics;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reorder buffer's idle flush waits while records are still waiting upstream, within a bound. */
class IdleFlushTest {

    private final AtomicBoolean upstreamPending = new AtomicBoolean();
    private final StreamsConfigKeys config = StreamsConfigKeys.defaults().withRawPartitions(1);
    private TopologyTestDriver driver;
    private TestOutputTopic<String, Incident> incidents;

    @BeforeEach
    void setUp() {
        driver = IncidentTopologyTest.driver(config, upstreamPending::get);
        final TestInputTopic<String, AlertEvent> alerts = driver.createInputTopic(Topics.ALERTS_RAW.name(),
                new StringSerializer(), new PlainAvroSerde<>(AlertEvent.class).serializer());
        incidents = driver.createOutputTopic(Topics.INCIDENTS.name(), Serdes.String().deserializer(),
                new PlainAvroSerde<>(Incident.class).deserializer());
        // Inside the grace period, so only the idle flush can apply them.
        alerts.pipeInput("db", firing("db", "payments-db", 0));
        alerts.pipeInput("pay", firing("pay", "payments", 30));
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void quietInputShouldFlushTheBufferWhenNothingWaitsUpstream() {
        driver.advanceWallClockTime(config.idleFlush().plusSeconds(1));

        assertThat(incidents.readValuesToList()).extracting(Incident::getServices)
                .containsExactly(java.util.List.of("payments-db"), java.util.List.of("payments-db", "payments"));
    }

    @Test
    void quietInputShouldNotFlushWhileRecordsWaitUpstreamUntilTheBoundPasses() {
        upstreamPending.set(true);
        driver.advanceWallClockTime(config.idleFlush().plusSeconds(1));
        driver.advanceWallClockTime(Duration.ofSeconds(5));
        assertThat(incidents.isEmpty()).isTrue();

        driver.advanceWallClockTime(config.idleFlush().multipliedBy(IncidentCorrelator.BACKLOG_FLUSH_FACTOR));
        assertThat(incidents.readValuesToList()).hasSize(2);
    }

    @Test
    void theBufferShouldFlushOnceTheUpstreamBacklogIsGone() {
        upstreamPending.set(true);
        driver.advanceWallClockTime(config.idleFlush().plusSeconds(1));
        assertThat(incidents.isEmpty()).isTrue();

        upstreamPending.set(false);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(incidents.readValuesToList()).last().extracting(Incident::getServices)
                .isEqualTo(java.util.List.of("payments-db", "payments"));
    }
}
