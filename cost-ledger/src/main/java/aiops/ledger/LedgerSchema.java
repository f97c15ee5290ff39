package aiops.ledger;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The ledger's tables, created and upgraded by Flyway. The ledger keeps its own schema-history table so that
 * other modules can migrate their own tables in the same database independently.
 */
public final class LedgerSchema {

    public static final String HISTORY_TABLE = "flyway_ledger_history";

    private LedgerSchema() {
    }

    /** Applies pending migrations; returns how many ran. */
    public static int migrate(final DataSource dataSource) {
        final MigrateResult result = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/ledger")
                .table(HISTORY_TABLE)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
        return result.migrationsExecuted;
    }
}
