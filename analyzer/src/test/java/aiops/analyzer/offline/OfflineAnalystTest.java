package aiops.analyzer.offline;

import static org.assertj.core.api.Assertions.assertThat;

import aiops.analyzer.AnalystAnswer;
import aiops.analyzer.Fixtures;
import aiops.analyzer.context.ContextBuilder;
import aiops.analyzer.context.IncidentContext;
import aiops.analyzer.context.SimilarIncident;
import aiops.avro.ActionType;
import aiops.avro.Hypothesis;
import aiops.avro.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class OfflineAnalystTest {

    private final OfflineAnalyst analyst = new OfflineAnalyst();

    @Test
    void shouldRankTheCalleeTheRestOfTheIncidentDependsOnFirst() {
        final AnalystAnswer answer = analyst.analyse(ContextBuilder.build(Fixtures.cascade("inc-1", 1),
                Fixtures.catalog(), List.of()));

        assertThat(answer.hypotheses()).extracting(Hypothesis::getService)
                .containsExactly("payments-db", "payments", "checkout");
        assertThat(answer.hypotheses().get(0).getFault()).isEqualTo("connection_pool_exhaustion");
        assertThat(answer.hypotheses().get(0).getConfidence()).isGreaterThan(answer.hypotheses().get(1).getConfidence());
        assertThat(answer.analyst()).isEqualTo("offline");
        assertThat(answer.calls()).isEmpty();
    }

    @Test
    void shouldCiteOnlyEvidenceThatExists() {
        final IncidentContext context = ContextBuilder.build(Fixtures.cascade("inc-1", 1), Fixtures.catalog(), List.of());

        final AnalystAnswer answer = analyst.analyse(context);

        assertThat(answer.hypotheses()).allSatisfy(h -> assertThat(context.evidenceIds()).containsAll(h.getEvidenceIds()));
        assertThat(answer.hypotheses().get(0).getEvidenceIds()).contains("alert:fp-db",
                "anomaly:metric:payments-db/connections_used_ratio@1");
    }

    @Test
    void shouldOnlyProposeActionsOnCataloguedWorkloads() {
        // payments-db has no Kubernetes workload in the catalogue, so nothing may be done to it automatically.
        final AnalystAnswer answer = analyst.analyse(ContextBuilder.build(Fixtures.cascade("inc-1", 1),
                Fixtures.catalog(), List.of()));

        assertThat(answer.actions()).singleElement().satisfies(a -> {
            assertThat(a.getActionType()).isEqualTo(ActionType.NONE);
            assertThat(a.getService()).isEqualTo("payments-db");
        });
    }

    @Test
    void shouldProposeTheRemedyOfTheFaultWhenTheRootIsAWorkload() {
        final var incident = Fixtures.incident("inc-2", 1, List.of("checkout", "payments"), List.of(
                Fixtures.alert("fp-1", "ContainerOOMKilled", "payments", Severity.CRITICAL, 0),
                Fixtures.alert("fp-2", "HighLatencyP95", "checkout", Severity.WARNING, 1)), List.of());

        final AnalystAnswer answer = analyst.analyse(ContextBuilder.build(incident, Fixtures.catalog(), List.of()));

        assertThat(answer.hypotheses().get(0).getService()).isEqualTo("payments");
        assertThat(answer.hypotheses().get(0).getFault()).isEqualTo("oom_killed");
        assertThat(answer.actions()).singleElement().satisfies(a -> {
            assertThat(a.getActionType()).isEqualTo(ActionType.RESTART_DEPLOYMENT);
            assertThat(a.getService()).isEqualTo("payments");
        });
    }

    @Test
    void shouldLetAnEarlierOnsetDecideBetweenServicesOfEqualStanding() {
        final var incident = Fixtures.incident("inc-3", 1, List.of("cart", "payments"), List.of(
                Fixtures.alert("fp-1", "HighErrorRate", "cart", Severity.WARNING, 5),
                Fixtures.alert("fp-2", "HighErrorRate", "payments", Severity.WARNING, 1)), List.of());

        final AnalystAnswer answer = analyst.analyse(ContextBuilder.build(incident, Fixtures.catalog(), List.of()));

        assertThat(answer.hypotheses().get(0).getService()).isEqualTo("payments");
    }

    @Test
    void shouldCiteASimilarPastIncidentAsEvidence() {
        final IncidentContext context = ContextBuilder.build(Fixtures.cascade("inc-4", 1), Fixtures.catalog(),
                List.of(new SimilarIncident("inc-0", "payments-db", "connection_pool_exhaustion", 0.93, "pool ran dry")));

        assertThat(context.evidenceIds()).contains("similar:inc-0");
        assertThat(analyst.analyse(context).hypotheses().get(0).getService()).isEqualTo("payments-db");
    }
}
