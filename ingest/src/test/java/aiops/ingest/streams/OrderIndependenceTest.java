package aiops.ingest.streams;

import static aiops.ingest.streams.Signals.firing;
import static aiops.ingest.streams.Signals.resolved;
import static org.assertj.core.api.Assertions.assertThat;

import aiops.avro.AlertEvent;
import aiops.avro.AlertStatus;
import aiops.avro.Incident;
import aiops.avro.IncidentAlert;
import aiops.avro.Severity;
import aiops.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** The same signals in any arrival order inside the grace period yield the same incidents. */
class OrderIndependenceTest {

    /** A storm with repeats, resolutions, an escalation, a refire and unrelated noise, spread over 40 minutes. */
    static List<AlertEvent> storm() {
        final List<AlertEvent> events = new ArrayList<>();
        for (int m = 0; m < 15; m++) {
            events.add(firing("db", "payments-db", 60L * m));
            if (m >= 2) {
                events.add(Signals.alert("pay", "payments", m < 6 ? Severity.WARNING : Severity.CRITICAL,
                        AlertStatus.FIRING, 60L * m + 20));
            }
            if (m >= 4) {
                events.add(firing("co", "checkout", 60L * m + 40));
            }
        }
        events.add(firing("rep", "reporting", 300));
        events.add(firing("redis", "cart-redis", 1000));
        events.add(resolved("db", "payments-db", 960));
        events.add(resolved("pay", "payments", 980));
        events.add(resolved("co", "checkout", 990));
        events.add(firing("fe", "frontend", 1100));
        events.add(resolved("fe", "frontend", 1300));
        events.add(firing("late-db", "payments-db", 2400));
        events.sort(Comparator.comparing(AlertEvent::getEventTime));
        return events;
    }

    /** Final state of every incident, without counts (which legitimately depend on deduplication timing). */
    static Map<String, String> incidentsAfter(final List<AlertEvent> arrival) {
        try (TopologyTestDriver driver = IncidentTopologyTest.driver(StreamsConfigKeys.defaults().withRawPartitions(1))) {
            final TestInputTopic<String, AlertEvent> in = driver.createInputTopic(Topics.ALERTS_RAW.name(),
                    new StringSerializer(), new PlainAvroSerde<>(AlertEvent.class).serializer());
            final TestOutputTopic<String, Incident> out = driver.createOutputTopic(Topics.INCIDENTS.name(),
                    Serdes.String().deserializer(), new PlainAvroSerde<>(Incident.class).deserializer());
            arrival.forEach(e -> in.pipeInput(e.getFingerprint(), e));
            driver.advanceWallClockTime(Duration.ofSeconds(10));
            final Map<String, String> result = new TreeMap<>();
            out.readRecordsToList().forEach(r -> {
                final Incident i = r.value();
                result.put(r.key(), i.getState() + " " + i.getSeverity() + " " + i.getServices() + " "
                        + i.getAlerts().stream().map(IncidentAlert::getFingerprint).sorted().toList()
                        + " opened=" + i.getOpenedAt() + " resolved=" + i.getResolvedAt());
            });
            return result;
        }
    }

    @Property(tries = 60)
    void shouldFormTheSameIncidentsWhateverTheArrivalOrderInsideTheGrace(@ForAll final long seed) {
        final List<AlertEvent> ordered = storm();
        final Random random = new Random(seed);
        final long grace = StreamsConfigKeys.defaults().grace().toMillis();
        // Each signal is delayed by less than the grace period, which bounds how late it arrives.
        final Map<AlertEvent, Long> arrivalTime = new java.util.IdentityHashMap<>();
        ordered.forEach(e -> arrivalTime.put(e, e.getEventTime().toEpochMilli() + (long) (random.nextDouble() * grace)));
        final List<AlertEvent> shuffled = new ArrayList<>(ordered);
        shuffled.sort(Comparator.comparing(arrivalTime::get));

        final Map<String, String> expected = incidentsAfter(ordered);
        assertThat(expected).hasSizeGreaterThanOrEqualTo(3);
        assertThat(incidentsAfter(shuffled)).isEqualTo(expected);
    }
}
