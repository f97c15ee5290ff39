package aiops.forecast.store;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** The forecaster's tables, migrated by Flyway with their own history table (modules migrate independently). */
public final class ForecastSchema {

    public static final String HISTORY_TABLE = "flyway_forecast_history";

    private ForecastSchema() {
    }

    public static int migrate(final DataSource dataSource) {
        return Flyway.configure().dataSource(dataSource).locations("classpath:db/forecast").table(HISTORY_TABLE)
                .baselineOnMigrate(true).baselineVersion("0").load().migrate().migrationsExecuted;
    }
}
