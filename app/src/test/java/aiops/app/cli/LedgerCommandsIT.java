package aiops.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import aiops.embedded.EmbeddedStack;
import aiops.embedded.junit.EmbeddedStackExtension;
import aiops.ledger.LedgerSchema;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/** {@code aiops prices} and {@code aiops ledger report|reprice} against a real PostgreSQL. */
@Tag("integration")
@Timeout(120)
@ExtendWith(EmbeddedStackExtension.class)
class LedgerCommandsIT {

    private final StringWriter out = new StringWriter();

    @AfterEach
    void clear() {
        System.clearProperty("aiops.postgres.url");
    }

    private int run(final EmbeddedStack stack, final String... args) {
        System.setProperty("aiops.postgres.url", stack.postgres().jdbcUrl());
        final CommandLine cli = AiopsCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        return cli.execute(args);
    }

    @Test
    void shouldReportCostByServiceAndRepriceAfterAPriceIsSet(final EmbeddedStack stack) throws Exception {
        final HikariConfig config = new HikariConfig();
        config.setJdbcUrl(stack.postgres().jdbcUrl());
        try (HikariDataSource ds = new HikariDataSource(config)) {
            LedgerSchema.migrate(ds);
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("INSERT INTO llm_usage_ledger (usage_id, occurred_at, service, team, provider, model, purpose,"
                        + " input_tokens, output_tokens, cost_usd, price_missing, outcome) VALUES"
                        + " ('cli-1', now() - interval '1 hour', 'cli-svc', 'cli-team', 'openai', 'cli-model',"
                        + " 'analysis', 1000000, 0, NULL, true, 'ok')");
                // What the writer's rollup would hold for that row (unpriced: cost 0, one price-missing call).
                st.execute("INSERT INTO ledger_daily_rollup VALUES (((now() - interval '1 hour') AT TIME ZONE 'UTC')::date,"
                        + " 'openai', 'cli-model', 'cli-svc', 'cli-team', false, 1, 0, 1000000, 0, 0, 0, 1)");
            }
        }

        assertThat(run(stack, "prices", "set", "openai:cli-model", "--input", "3.00", "--output", "6.00",
                "--effective-from", "2025-01-01T00:00:00Z")).isZero();
        assertThat(run(stack, "prices", "list")).isZero();
        assertThat(out.toString()).contains("price of openai:cli-model set").containsPattern("openai +cli-model +3 +6");
        assertThat(run(stack, "ledger", "reprice", "--since", "1d")).isZero();
        assertThat(out.toString()).contains("correction rows appended");

        out.getBuffer().setLength(0);
        assertThat(run(stack, "ledger", "report", "--since", "2d", "--by", "service", "--json")).isZero();
        final JsonNode report = new ObjectMapper().readTree(out.toString().strip().lines().reduce((a, b) -> b).orElseThrow());
        assertThat(report.get("rows").findValues("key").stream().map(JsonNode::asText)).contains("cli-svc");
        for (final JsonNode row : report.get("rows")) {
            if (row.get("key").asText().equals("cli-svc")) {
                assertThat(new java.math.BigDecimal(row.get("cost_usd").asText())).isEqualByComparingTo("3.00");
            }
        }
        assertThat(run(stack, "ledger", "report", "--by", "planet")).as("a bad grouping is refused").isEqualTo(2);
    }
}
