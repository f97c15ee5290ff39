package aiops.assistant.chat;

import static org.assertj.core.api.Assertions.assertThat;

import aiops.assistant.tools.OpsToolbox;
import aiops.assistant.tools.ToolResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class CitationsTest {

    @Test
    void shouldBackOnlyMarkersThatASuccessfulToolResultReturned() {
        final List<OpsToolbox.Outcome> outcomes = List.of(
                new OpsToolbox.Outcome("list_incidents", "{}", false, List.of(new ToolResult.Citation("incident", "inc-1"))),
                new OpsToolbox.Outcome("get_service", "{}", true, List.of(new ToolResult.Citation("runbook", "db"))));
        final Citations.Checked checked = Citations.check("It is inc-1 [incident:inc-1], like [incident:inc-9];"
                + " see [runbook:db] and [ledger:model:gpt-x]. [incident:inc-1] again.", outcomes);
        assertThat(checked.backed()).containsExactly(new ToolResult.Citation("incident", "inc-1"));
        assertThat(checked.unsupported()).containsExactly("[incident:inc-9]", "[runbook:db]", "[ledger:model:gpt-x]");
    }
}
