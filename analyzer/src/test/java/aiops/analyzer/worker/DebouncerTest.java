package aiops.analyzer.worker;

import static org.assertj.core.api.Assertions.assertThat;

import aiops.analyzer.Fixtures;
import aiops.avro.Incident;
import aiops.avro.Severity;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class DebouncerTest {

    static final TopicPartition P0 = new TopicPartition("aiops.incidents", 0);
    static final long SECOND = 1_000_000_000L;

    private final Debouncer debouncer = new Debouncer(Duration.ofSeconds(5), Duration.ofSeconds(30));

    static Incident version(final int v, final List<String> services, final Severity severity) {
        return Fixtures.incident("inc-1", v, services, services.stream()
                .map(s -> Fixtures.alert("fp-" + s, "HighErrorRate", s, severity, 0)).toList(), List.of());
    }

    @Test
    void shouldWaitUntilTheIncidentHasBeenStableForTheDebounceTime() {
        debouncer.offer(version(1, List.of("payments"), Severity.WARNING), P0, 10, 0);
        debouncer.offer(version(2, List.of("payments", "checkout"), Severity.WARNING), P0, 11, 3 * SECOND);

        assertThat(debouncer.ready(7 * SECOND, Set.of(), 10)).isEmpty();
        assertThat(debouncer.ready(8 * SECOND, Set.of(), 10)).singleElement()
                .satisfies(p -> assertThat(p.incident().getVersion()).isEqualTo(2));
    }

    @Test
    void shouldHoldTheCommittedOffsetAtTheWaitingVersion() {
        debouncer.offer(version(1, List.of("payments"), Severity.WARNING), P0, 10, 0);
        debouncer.offer(version(2, List.of("payments", "checkout"), Severity.WARNING), P0, 11, SECOND);

        assertThat(debouncer.lowestOffset(P0)).hasValue(11);
        debouncer.ready(10 * SECOND, Set.of(), 10);
        assertThat(debouncer.lowestOffset(P0)).isEmpty();
    }

    @Test
    void shouldNotReanalyseAVersionWithoutMaterialChange() {
        final Incident v1 = version(1, List.of("payments"), Severity.WARNING);
        debouncer.analysed("inc-1", 1, IncidentSignature.of(v1));

        final Incident resolvedOnly = version(2, List.of("payments"), Severity.WARNING);
        assertThat(debouncer.offer(resolvedOnly, P0, 12, 0)).isFalse();
        assertThat(debouncer.offer(version(3, List.of("payments", "cart"), Severity.WARNING), P0, 13, 0)).isTrue();
    }

    @Test
    void shouldAnalyseASeverityEscalationAtOnce() {
        debouncer.analysed("inc-1", 1, IncidentSignature.of(version(1, List.of("payments"), Severity.WARNING)));

        debouncer.offer(version(2, List.of("payments"), Severity.CRITICAL), P0, 12, 0);

        assertThat(debouncer.ready(1, Set.of(), 10)).hasSize(1);
    }

    @Test
    void shouldAnalyseAnIncidentThatNeverSettlesByTheMaximumDelay() {
        for (int i = 0; i < 40; i++) {
            debouncer.offer(version(i + 1, List.of("payments", "s" + i), Severity.WARNING), P0, i, i * SECOND);
            if (i < 30) {
                assertThat(debouncer.ready(i * SECOND, Set.of(), 10)).isEmpty();
            }
        }
        assertThat(debouncer.ready(39 * SECOND, Set.of(), 10)).hasSize(1);
    }

    @Test
    void shouldKeepOneIncidentsVersionsInOrderWhileAnAnalysisRuns() {
        debouncer.offer(version(1, List.of("payments"), Severity.WARNING), P0, 10, 0);

        assertThat(debouncer.ready(10 * SECOND, Set.of("inc-1"), 10)).isEmpty();
        assertThat(debouncer.ready(10 * SECOND, Set.of(), 10)).hasSize(1);
    }

    @Test
    void shouldIgnoreVersionsOlderThanTheLastAnalysedOneAfterARestart() {
        debouncer.restore("inc-1", 5, "sig");

        assertThat(debouncer.offer(version(4, List.of("payments", "cart"), Severity.CRITICAL), P0, 3, 0)).isFalse();
    }
}
