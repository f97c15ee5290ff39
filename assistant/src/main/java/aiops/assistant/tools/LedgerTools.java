package aiops.assistant.tools;

import aiops.common.auth.Role;
import aiops.ledger.LedgerQueries;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The cost ledger tool: LLM spend by model, service, team or incident, from the ledger's rollups. */
public final class LedgerTools {

    private final LedgerQueries ledger;

    public LedgerTools(final LedgerQueries ledger) {
        this.ledger = ledger;
    }

    public List<ToolDef> tools() {
        return List.of(new ToolDef("ledger_summary", "LLM calls, tokens and cost in USD over the last days, grouped"
                + " by model, service, team or incident (live traffic; or one replay run).",
                List.of(Param.oneOf("by", "Grouping (default model).", false,
                                List.of("model", "service", "team", "incident")),
                        Param.integer("days", "Days back from now (default 7).", 1, 366),
                        Param.text("replay_run", "Only this replay run's calls.", false),
                        Param.integer("limit", "Most lines returned (default 20).", 1, 100)),
                Role.READONLY, false, this::summary));
    }

    private ToolResult summary(final ToolCall call) throws Exception {
        final String by = call.text("by") == null ? "model" : call.text("by");
        final int days = call.integer("days", 7);
        final List<LedgerQueries.Line> lines = ledger.summary(Instant.now().minus(Duration.ofDays(days)),
                LedgerQueries.By.parse(by), call.text("replay_run"));
        final List<Map<String, Object>> rows = lines.stream().limit(call.integer("limit", 20)).map(l -> {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", l.key());
            m.put("calls", l.calls());
            m.put("billed_calls", l.billedCalls());
            m.put("input_tokens", l.inputTokens());
            m.put("output_tokens", l.outputTokens());
            m.put("cost_usd", l.costUsd() == null ? null : l.costUsd().stripTrailingZeros().toPlainString());
            return m;
        }).toList();
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("by", by);
        body.put("days", days);
        body.put("lines", rows);
        body.put("total_cost_usd", lines.stream().map(LedgerQueries.Line::costUsd).filter(java.util.Objects::nonNull)
                .reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add).stripTrailingZeros().toPlainString());
        return ToolResult.of(body, rows.stream().map(r -> new ToolResult.Citation("ledger",
                by.toLowerCase(Locale.ROOT) + ":" + r.get("key"))).toList());
    }
}
