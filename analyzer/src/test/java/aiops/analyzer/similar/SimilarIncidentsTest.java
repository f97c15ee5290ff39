package aiops.analyzer.similar;

import static org.assertj.core.api.Assertions.assertThat;

import aiops.analyzer.context.SimilarIncident;
import dev.langchain4j.data.embedding.Embedding;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SimilarIncidentsTest {

    private static SimilarIncidents memory;
    private static Embedding pool;

    @BeforeAll
    static void model() {
        memory = SimilarIncidents.inProcess();
        pool = memory.embed(java.util.List.of(evidence("payments-db", "alert", "alert PostgresConnectionsSaturated")));
    }

    private static aiops.avro.Evidence evidence(final String service, final String kind, final String summary) {
        return aiops.avro.Evidence.newBuilder().setId("e1").setKind(kind).setService(service).setSummary(summary).build();
    }

    @Test
    void aReplayRunShouldLearnOnlyForItselfWhileLiveHistoryServesEveryone() {
        memory.remember(null, "inc-live", pool, "payments-db", "connection_pool_exhaustion", "live");
        memory.remember("run-a", "inc-a", pool, "payments-db", "connection_pool_exhaustion", "replayed");

        assertThat(memory.find(null, "inc-new", pool, 5)).extracting(SimilarIncident::incidentId)
                .containsExactly("inc-live");
        assertThat(memory.find("run-a", "inc-a2", pool, 5)).extracting(SimilarIncident::incidentId)
                .containsExactlyInAnyOrder("inc-live", "inc-a");
        assertThat(memory.find("run-b", "inc-b", pool, 5)).extracting(SimilarIncident::incidentId)
                .containsExactly("inc-live");
    }

    @Test
    void aFullMemoryShouldDropReplayedIncidentsBeforeLiveOnes() {
        final SimilarIncidents small = new SimilarIncidents(new dev.langchain4j.model.embedding.onnx.allminilml6v2q
                .AllMiniLmL6V2QuantizedEmbeddingModel(), 2, 0.8);
        small.remember(null, "inc-live", pool, "payments-db", "f", "live");
        small.remember("run-a", "inc-a", pool, "payments-db", "f", "replayed");
        small.remember("run-a", "inc-a2", pool, "payments-db", "f", "replayed");

        assertThat(small.find("run-a", "other", pool, 5)).extracting(SimilarIncident::incidentId)
                .containsExactlyInAnyOrder("inc-live", "inc-a2");
    }
}
