package aiops.analyzer.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aiops.analyzer.Fixtures;
import aiops.analyzer.context.ContextBuilder;
import aiops.analyzer.context.IncidentContext;
import aiops.avro.ActionType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnswerParserTest {

    private final IncidentContext context = ContextBuilder.build(Fixtures.cascade("inc-1", 1), Fixtures.catalog(),
            List.of());

    @Test
    void shouldReadAnAnswerWrappedInAMarkdownFence() throws Exception {
        final String text = "```json\n{\"summary\":\"s\",\"hypotheses\":[{\"service\":\"payments-db\",\"fault\":"
                + "\"Connection Pool Exhaustion\",\"description\":\"d\",\"confidence\":1.7,\"evidence_ids\":"
                + "[\"alert:fp-db\",\"alert:made-up\"]}],\"actions\":[]}\n```";

        final AnswerParser.Parsed parsed = AnswerParser.parse(text, context);

        assertThat(parsed.hypotheses()).singleElement().satisfies(h -> {
            assertThat(h.getFault()).isEqualTo("connection_pool_exhaustion");
            assertThat(h.getConfidence()).isEqualTo(1.0);
            assertThat(h.getEvidenceIds()).containsExactly("alert:fp-db");
        });
    }

    @Test
    void shouldRefuseAnAnswerWithoutAnyCitedHypothesis() {
        final String text = "{\"summary\":\"s\",\"hypotheses\":[{\"service\":\"payments-db\",\"fault\":\"x\","
                + "\"description\":\"d\",\"confidence\":0.5,\"evidence_ids\":[]}],\"actions\":[]}";

        assertThatThrownBy(() -> AnswerParser.parse(text, context)).isInstanceOf(AnswerParser.InvalidAnswer.class)
                .hasMessageContaining("cites");
    }

    @Test
    void shouldKeepOnlyBoundedParametersOfKnownActions() {
        assertThat(AnswerParser.parameters(ActionType.SCALE_DEPLOYMENT, Map.of("replicas_delta", "2")))
                .containsEntry("replicas_delta", "2");
        assertThat(AnswerParser.parameters(ActionType.SCALE_DEPLOYMENT, Map.of("replicas_delta", "-50"))).isNull();
        assertThat(AnswerParser.parameters(ActionType.SCALE_DEPLOYMENT, Map.of())).isNull();
        assertThat(AnswerParser.parameters(ActionType.ROLLBACK_DEPLOYMENT, Map.of("revision", "12")))
                .containsEntry("revision", "12");
        assertThat(AnswerParser.parameters(ActionType.RESTART_DEPLOYMENT, Map.of("namespace", "kube-system"))).isNull();
        assertThat(AnswerParser.parameters(ActionType.WEBHOOK, Map.of("url", "http://evil"))).isNull();
    }
}
