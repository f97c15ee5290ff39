package aiops.ingest.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScenarioReaderTest {

    private static List<Scenario.Signal> parse(final String text) throws IOException {
        return new ScenarioReader().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "s.ndjson");
    }

    @Test
    void shouldReadSignalsSkippingBlankLines() throws IOException {
        final var signals = parse("{\"at\":\"2026-03-01T10:00:00Z\",\"kind\":\"log\",\"body\":{}}\n\n"
                + "{\"at\":\"2026-03-01T10:00:00Z\",\"kind\":\"metric\",\"body\":[]}\n");

        assertThat(signals).extracting(Scenario.Signal::kind).containsExactly("log", "metric");
        assertThat(signals.get(1).line()).isEqualTo(3);
        assertThat(signals.get(0).at()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
    }

    @Test
    void shouldNameTheLineThatGoesBackInTime() {
        assertThatThrownBy(() -> parse("{\"at\":\"2026-03-01T10:00:01Z\",\"kind\":\"log\",\"body\":{}}\n"
                + "{\"at\":\"2026-03-01T10:00:00Z\",\"kind\":\"log\",\"body\":{}}\n"))
                .isInstanceOf(ScenarioException.class).hasMessageStartingWith("s.ndjson:2:");
    }

    @Test
    void shouldNameTheLineWithAnUnknownKind() {
        assertThatThrownBy(() -> parse("{\"at\":\"2026-03-01T10:00:00Z\",\"kind\":\"sms\",\"body\":{}}"))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("s.ndjson:1:").hasMessageContaining("sms");
    }

    @Test
    void shouldRefuseLinesThatAreNotJson() {
        assertThatThrownBy(() -> parse("at=now"))
                .isInstanceOf(ScenarioException.class).hasMessageContaining("not JSON");
    }
}
