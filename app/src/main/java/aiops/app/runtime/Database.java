package aiops.app.runtime;

import aiops.common.config.AiopsConfig;
import aiops.common.config.ConfigException;
import aiops.common.config.CoreConfig;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** The PostgreSQL connection pool of a standalone process, from {@code AIOPS_POSTGRES_*}. */
public final class Database {

    private Database() {
    }

    public static HikariDataSource pool(final AiopsConfig config, final String name) {
        final String url = config.optional(CoreConfig.POSTGRES_URL)
                .orElseThrow(() -> new ConfigException(CoreConfig.POSTGRES_URL, "is required but not set"));
        final HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url);
        hikari.setUsername(config.get(CoreConfig.POSTGRES_USER));
        config.optional(CoreConfig.POSTGRES_PASSWORD).ifPresent(hikari::setPassword);
        hikari.setPoolName(name);
        hikari.setMaximumPoolSize(8);
        hikari.setInitializationFailTimeout(10_000);
        return new HikariDataSource(hikari);
    }
}
