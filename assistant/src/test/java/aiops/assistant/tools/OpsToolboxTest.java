package aiops.assistant.tools;

import static org.assertj.core.api.Assertions.assertThat;

import aiops.common.auth.Principal;
import aiops.common.auth.Role;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class OpsToolboxTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Principal READER = new Principal("k-1", "reader", Role.READONLY, null);
    static final Principal USER = new Principal("k-2", "user", Role.USER, null);

    /** Items {@code item-<offset+i>} with a long text each, paged like the list tools. */
    static final ToolDef ITEMS = new ToolDef("list_items", "Items.", Param.paging(), Role.READONLY, false, call -> {
        final Paging paging = Paging.of(call);
        final List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = paging.offset(); i < Math.min(200, paging.offset() + paging.fetch()); i++) {
            final Map<String, Object> row = new LinkedHashMap<>();
            row.put("item_id", "item-" + i);
            row.put("text", "x".repeat(300) + " password=hunter2-secret");
            rows.add(row);
        }
        final Map<String, Object> body = new LinkedHashMap<>();
        paging.fill(body, "items", rows);
        return ToolResult.page(body, List.of(), "items", paging.offset());
    });
    static final java.util.concurrent.atomic.AtomicInteger WRITES = new java.util.concurrent.atomic.AtomicInteger();
    static final ToolDef WRITE = new ToolDef("write_it", "Writes.", List.of(Param.text("what", "What.", true)),
            Role.USER, true, call -> {
                WRITES.incrementAndGet();
                return ToolResult.of(Map.of("done", call.text("what")), List.of());
            });

    /** Audit rows go nowhere here: the database is unreachable, which the toolbox logs and survives. */
    final OpsToolbox toolbox = new OpsToolbox(List.of(ITEMS, WRITE), unreachable(), 2_000, new SimpleMeterRegistry());

    static PGSimpleDataSource unreachable() {
        final PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1");
        return ds;
    }

    @Test
    void shouldCutAnAnswerToTheCapAndGiveACursorThatContinuesWhereItStopped() throws Exception {
        final OpsToolbox.Outcome first = toolbox.call("list_items", READER, "mcp", Map.of("limit", 20L), null);
        assertThat(first.json().length()).isLessThanOrEqualTo(2_000);
        final JsonNode page = JSON.readTree(first.json());
        final int kept = page.path("items").size();
        assertThat(kept).isBetween(1, 19);
        assertThat(page.path("truncated").asText()).contains("next_cursor");
        final JsonNode next = JSON.readTree(toolbox.call("list_items", READER, "mcp",
                Map.of("limit", 20L, "cursor", page.path("next_cursor").asText()), null).json());
        assertThat(next.path("items").get(0).path("item_id").asText()).isEqualTo("item-" + kept);
    }

    @Test
    void shouldRedactFreeTextButNotIds() throws Exception {
        final JsonNode page = JSON.readTree(toolbox.call("list_items", READER, "mcp", Map.of("limit", 1L), null).json());
        assertThat(page.path("items").get(0).path("text").asText()).doesNotContain("hunter2-secret").contains("REDACTED");
        assertThat(page.path("items").get(0).path("item_id").asText()).isEqualTo("item-0");
        assertThat(page.path("next_cursor").asText()).isEqualTo(Paging.cursor(1));
    }

    @Test
    void shouldRefuseTheWrongRoleUnknownToolsAndBadArguments() {
        final OpsToolbox.Outcome readerWrites = toolbox.call("write_it", READER, "mcp", Map.of("what", "x"), null);
        assertThat(readerWrites.error()).isTrue();
        assertThat(readerWrites.json()).contains("needs the user role");
        final OpsToolbox.Outcome unaudited = toolbox.call("write_it", USER, "mcp", Map.of("what", "x"), null);
        assertThat(unaudited.error()).as("a write that cannot be audited is not made").isTrue();
        assertThat(unaudited.json()).contains("could not be audited");
        assertThat(WRITES.get()).isZero();
        assertThat(toolbox.call("drop_tables", USER, "mcp", Map.of(), null).json()).contains("no tool named");
        assertThat(toolbox.call("write_it", USER, "mcp", Map.of(), null).json()).contains("'what' is required");
        assertThat(toolbox.call("list_items", READER, "mcp", Map.of("limit", 500L), null).json())
                .contains("between 1 and 100");
        assertThat(toolbox.call("list_items", READER, "mcp", Map.of("limit", "many"), null).json())
                .contains("whole number");
        assertThat(toolbox.call("list_items", READER, "mcp", Map.of("cursor", "b2s6LTE"), null).json())
                .as("a cursor this server never gave out").contains("cursor");
        assertThat(toolbox.unavailable("write_it", USER, "assistant", Map.of()).error()).isTrue();
    }

    @Test
    void shouldDescribeInputsAsJsonSchema() {
        final Map<String, Object> schema = WRITE.inputSchema();
        assertThat(schema).containsEntry("type", "object").containsEntry("required", List.of("what"))
                .containsEntry("additionalProperties", false);
    }
}
