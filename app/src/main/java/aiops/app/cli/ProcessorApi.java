package aiops.app.cli;

import aiops.common.auth.ApiKeyStore;
import aiops.common.config.AiopsConfig;
import aiops.common.config.CoreConfig;
import aiops.common.http.ApiServer;
import aiops.common.http.HttpSecurity;
import aiops.common.http.Readiness;
import com.zaxxer.hikari.HikariDataSource;
import io.javalin.config.RoutesConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.function.Consumer;

/** The HTTP API of a standalone processor: health, metrics and its routes, authenticated against the shared key store. */
final class ProcessorApi {

    private ProcessorApi() {
    }

    /** A processor's configuration: the common processor keys, its own keys, and PostgreSQL (for API keys). */
    static AiopsConfig require(final AiopsConfig cfg, final java.util.List<aiops.common.config.ConfigKey<?>> own) {
        final java.util.List<aiops.common.config.ConfigKey<?>> keys = new java.util.ArrayList<>(CoreConfig.PROCESSOR_KEYS);
        keys.addAll(own);
        keys.add(CoreConfig.POSTGRES_URL.required());
        return cfg.require(keys);
    }

    static ApiServer start(final AiopsConfig cfg, final HikariDataSource db, final Readiness readiness,
                           final PrometheusMeterRegistry metrics, final Consumer<RoutesConfig> routes) {
        return start(cfg, db, readiness, metrics, routes, java.util.List.of());
    }

    static ApiServer start(final AiopsConfig cfg, final HikariDataSource db, final Readiness readiness,
                           final PrometheusMeterRegistry metrics, final Consumer<RoutesConfig> routes,
                           final java.util.List<ApiServer.Mount> mounts) {
        ApiKeyStore.migrate(db);
        return ApiServer.start(cfg.get(CoreConfig.HTTP_HOST), cfg.get(CoreConfig.HTTP_PORT), readiness, metrics,
                HttpSecurity.from(cfg, new ApiKeyStore(db), Clock.systemUTC()), routes, mounts);
    }
}
