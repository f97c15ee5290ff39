package aiops.assistant.store;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** The assistant's tables, migrated by Flyway with their own history table (modules migrate independently). */
public final class AssistantSchema {

    public static final String HISTORY_TABLE = "flyway_assistant_history";

    private AssistantSchema() {
    }

    public static int migrate(final DataSource dataSource) {
        return Flyway.configure().dataSource(dataSource).locations("classpath:db/assistant").table(HISTORY_TABLE)
                .baselineOnMigrate(true).baselineVersion("0").load().migrate().migrationsExecuted;
    }
}
