package aiops.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aiops.embedded.EmbeddedStack;
import aiops.embedded.junit.EmbeddedStackExtension;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("integration")
@Timeout(120)
@ExtendWith(EmbeddedStackExtension.class)
class LedgerSchemaIT {

    private static HikariDataSource dataSource(final EmbeddedStack stack) {
        final HikariConfig config = new HikariConfig();
        config.setJdbcUrl(stack.postgres().jdbcUrl());
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }

    @Test
    void shouldMigrateOnceAndRefuseASecondRowForTheSameUsageId(final EmbeddedStack stack) throws SQLException {
        try (HikariDataSource ds = dataSource(stack)) {
            LedgerSchema.migrate(ds);
            assertThat(LedgerSchema.migrate(ds)).as("second run has nothing to do").isZero();

            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                final String row = "INSERT INTO llm_usage_ledger (usage_id, occurred_at, provider, model, purpose, "
                        + "input_tokens, output_tokens, outcome) VALUES ('u-schema-1', now(), 'openai', 'gpt-4o-mini', "
                        + "'analysis', 10, 5, 'ok')";
                st.execute(row);
                assertThatThrownBy(() -> st.execute(row)).isInstanceOf(SQLException.class)
                        .hasMessageContaining("duplicate key");
                assertThatThrownBy(() -> st.execute(row.replace("u-schema-1", "u-schema-2").replace("10, 5", "-1, 5")))
                        .isInstanceOf(SQLException.class).hasMessageContaining("check constraint");
            }
        }
    }

    @Test
    void shouldRunEveryQueryOfTheShippedGrafanaDashboard(final EmbeddedStack stack) throws Exception {
        final com.fasterxml.jackson.databind.JsonNode dashboard = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(java.nio.file.Path.of("..", "docker", "grafana", "aiops-ledger-dashboard.json").toFile());
        int queries = 0;
        try (HikariDataSource ds = dataSource(stack)) {
            LedgerSchema.migrate(ds);
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                for (final com.fasterxml.jackson.databind.JsonNode panel : dashboard.path("panels")) {
                    for (final com.fasterxml.jackson.databind.JsonNode target : panel.path("targets")) {
                        // Grafana's macro, expanded as its PostgreSQL data source does.
                        final String sql = target.path("rawSql").asText()
                                .replaceAll("\\$__timeFilter\\(([^)]*\\)?[^)]*)\\)", "$1 > now() - interval '30 days'");
                        st.executeQuery(sql).close();
                        queries++;
                    }
                }
            }
        }
        assertThat(queries).isEqualTo(5);
    }
}
