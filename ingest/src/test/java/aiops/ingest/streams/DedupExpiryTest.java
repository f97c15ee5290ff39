package aiops.ingest.streams;

import static aiops.ingest.streams.Signals.firing;
import static org.assertj.core.api.Assertions.assertThat;

import aiops.avro.AlertEvent;
import aiops.avro.EnrichedAlert;
import aiops.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The deduplicator forgets fingerprints unseen for the retention, and only those. */
class DedupExpiryTest {

    private static final Duration RETENTION = Duration.ofHours(2);
    private final StreamsConfigKeys config = StreamsConfigKeys.defaults().withRawPartitions(1)
            .withDedupRetention(RETENTION);
    private TopologyTestDriver driver;
    private TestInputTopic<String, AlertEvent> alerts;
    private TestOutputTopic<String, EnrichedAlert> enriched;

    @BeforeEach
    void setUp() {
        driver = IncidentTopologyTest.driver(config);
        alerts = driver.createInputTopic(Topics.ALERTS_RAW.name(), new StringSerializer(),
                new PlainAvroSerde<>(AlertEvent.class).serializer());
        enriched = driver.createOutputTopic(Topics.ALERTS_ENRICHED.name(), Serdes.String().deserializer(),
                new PlainAvroSerde<>(EnrichedAlert.class).deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private void send(final AlertEvent alert) {
        alerts.pipeInput(alert.getFingerprint(), alert);
    }

    private KeyValueStore<String, DedupState> states() {
        return driver.getKeyValueStore(AlertDeduplicator.STORE);
    }

    private List<String> indexKeys() {
        final List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = driver.<String, byte[]>getKeyValueStore(DedupExpiry.INDEX_STORE).all()) {
            it.forEachRemaining((KeyValue<String, byte[]> kv) -> keys.add(kv.key));
        }
        return keys;
    }

    @Test
    void aFingerprintUnseenForTheRetentionShouldBeForgottenWithItsIndexEntry() {
        send(firing("gone", "payments", 0));
        send(firing("kept", "cart", 0));
        driver.advanceWallClockTime(RETENTION.dividedBy(2));
        send(firing("kept", "cart", 10));

        driver.advanceWallClockTime(RETENTION.dividedBy(2).plusMinutes(10));

        assertThat(states().get("gone")).isNull();
        assertThat(states().get("kept")).as("seen an hour ago").isNotNull();
        assertThat(indexKeys()).allMatch(k -> k.endsWith("/kept")).isNotEmpty();
    }

    @Test
    void aRepeatAfterExpiryShouldPassAsNewWhileOneBeforeItIsAbsorbed() {
        send(firing("a1", "payments", 0));
        driver.advanceWallClockTime(RETENTION.minusMinutes(10));
        send(firing("a1", "payments", 60));
        driver.advanceWallClockTime(RETENTION.plusMinutes(10));
        // Inside the dedup window in event time, but the fingerprint was forgotten in between.
        send(firing("a1", "payments", 120));

        final List<EnrichedAlert> out = enriched.readValuesToList();
        assertThat(out).hasSize(2);
        assertThat(out.get(1).getRepeatCount()).isEqualTo(1);
        assertThat(out.get(1).getFirstSeen()).isEqualTo(Signals.T0.plusSeconds(120));
    }

    @Test
    void aFingerprintThatKeepsFiringShouldKeepItsHistoryAndABoundedIndex() {
        for (int hour = 0; hour < 12; hour++) {
            send(firing("steady", "payments", hour * 3600L));
            driver.advanceWallClockTime(Duration.ofHours(1));
        }

        final DedupState state = states().get("steady");
        assertThat(state).isNotNull();
        assertThat(state.firstSeen).isEqualTo(Signals.T0.toEpochMilli());
        assertThat(indexKeys()).as("entries of the last retention only").hasSizeBetween(1, 3);
    }

    @Test
    void theRetentionShouldNeverBeShorterThanTheDedupAndFlapWindows() {
        assertThat(StreamsConfigKeys.defaults().withDedupRetention(Duration.ofMinutes(1)).dedupRetention())
                .isEqualTo(StreamsConfigKeys.defaults().flapWindow());
    }
}
