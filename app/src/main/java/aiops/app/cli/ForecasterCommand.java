package aiops.app.cli;

import aiops.app.runtime.Database;
import aiops.common.config.AiopsConfig;
import aiops.common.config.CoreConfig;
import aiops.common.http.ApiServer;
import aiops.common.http.Metrics;
import aiops.common.http.Readiness;
import aiops.common.kafka.KafkaSettings;
import aiops.forecast.ForecastSettings;
import aiops.forecast.Forecaster;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code aiops forecaster}: metric history, capacity forecasts and predicted-exhaustion alerts against external Kafka and PostgreSQL. */
@Command(name = "forecaster", mixinStandardHelpOptions = true,
        description = "Run the forecaster (hourly history, seasonal forecasts, replica recommendations, "
                + "PredictedExhaustion alerts, GET /api/v1/forecast) until stopped.")
public final class ForecasterCommand implements Callable<Integer> {

    @Mixin
    private ConfigOption config;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final AiopsConfig cfg = ProcessorApi.require(config.load(), ForecastSettings.ALL);
        final ForecastSettings settings = ForecastSettings.from(cfg);
        final KafkaSettings kafka = KafkaSettings.from(cfg);
        return Lifecycle.runUntilStopped(spec, () -> {
            final PrometheusMeterRegistry metrics = Metrics.newRegistry("aiops-forecaster");
            final HikariDataSource db = Database.pool(cfg, "aiops-forecaster");
            final Forecaster forecaster = Forecaster.start(kafka, db, settings, metrics);
            final ApiServer api = ProcessorApi.start(cfg, db, new Readiness().add("forecaster", forecaster::isHealthy),
                    metrics, forecaster::register);
            return new Lifecycle.Started(api.port(), List.of(db, forecaster, api, metrics::close));
        }, cfg.get(CoreConfig.HTTP_HOST));
    }
}
