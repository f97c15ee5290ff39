package aiops.ingest.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class BufferedAlertSerdeTest {

    private final BufferedAlertSerde serde = new BufferedAlertSerde();

    @Property(tries = 300)
    void shouldReadBackEveryFieldOfWhatItWrote(@ForAll("signals") final BufferedAlert signal) {
        final byte[] bytes = serde.serializer().serialize("t", signal);

        assertThat(bytes[0]).isEqualTo(BufferedAlertSerde.FORMAT);
        assertThat(serde.deserializer().deserialize("t", bytes)).usingRecursiveComparison().isEqualTo(signal);
    }

    @Test
    void shouldReadTheJsonThatEarlierVersionsWroteToTheChangelogAndRepartitionTopic() {
        final BufferedAlert anomaly = BufferedAlert.anomaly("run-1", "a-1", "payments", "log_burst", 1_767_225_600_000L,
                4.5, "burst of \"timeout\" lines", Map.of("template", "<*> timed out", "count", "42"));
        final byte[] json = new JsonSerde<>(BufferedAlert.class).serializer().serialize("t", anomaly);

        final BufferedAlert read = serde.deserializer().deserialize("t", json);
        assertThat(read).usingRecursiveComparison().ignoringFields("attributes").isEqualTo(anomaly);
        assertThat(read.attributes).isEqualTo(anomaly.attributes);
    }

    @Test
    void shouldRefuseTruncatedOrForeignBytesWithASerializationError() {
        final BufferedAlert alert = new BufferedAlert();
        alert.fingerprint = "fp";
        alert.name = "HighErrorRate";
        alert.status = "FIRING";
        final byte[] bytes = serde.serializer().serialize("t", alert);

        for (int length = 0; length < bytes.length; length++) {
            final byte[] truncated = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> serde.deserializer().deserialize("t", truncated))
                    .as("first %d bytes", length).isInstanceOf(SerializationException.class);
        }
        final byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", longer)).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", "not a signal".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
    }

    @Provide
    Arbitrary<BufferedAlert> signals() {
        final Arbitrary<String> text = Arbitraries.strings().withCharRange('\u0000', '\ud7ff').ofMaxLength(40)
                .injectNull(0.2);
        final Arbitrary<Map<String, String>> attributes = Arbitraries.maps(
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10),
                Arbitraries.strings().ofMaxLength(20)).ofMaxSize(4);
        return Combinators.combine(Arbitraries.of("alert", "anomaly"), text, text, text, text,
                Arbitraries.longs(), Arbitraries.doubles(), attributes).as((kind, fingerprint, name, service, summary,
                                                                             time, score, attrs) -> {
                    final BufferedAlert b = new BufferedAlert();
                    b.kind = kind;
                    b.fingerprint = fingerprint;
                    b.name = name;
                    b.service = service;
                    b.severity = "WARNING";
                    b.status = kind.equals("alert") ? "RESOLVED" : "FIRING";
                    b.replayRunId = fingerprint == null ? null : "run-" + fingerprint.length();
                    b.traceParent = name;
                    b.anomalyKind = kind.equals("anomaly") ? "metric_spike" : null;
                    b.summary = summary;
                    b.eventTime = time;
                    b.score = score;
                    b.attributes = new java.util.TreeMap<>(attrs);
                    return b;
                });
    }
}
