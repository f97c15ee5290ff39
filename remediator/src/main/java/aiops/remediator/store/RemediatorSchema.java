package aiops.remediator.store;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** The remediator's tables, with their own Flyway history so modules sharing a database migrate independently. */
public final class RemediatorSchema {

    public static final String HISTORY_TABLE = "flyway_remediator_history";

    private RemediatorSchema() {
    }

    public static int migrate(final DataSource dataSource) {
        return Flyway.configure().dataSource(dataSource).locations("classpath:db/remediator").table(HISTORY_TABLE)
                .baselineOnMigrate(true).baselineVersion("0").load().migrate().migrationsExecuted;
    }
}
