package aiops.forecast;

import aiops.common.config.AiopsConfig;
import aiops.common.config.ConfigKey;
import java.time.Duration;
import java.util.List;

/** Keys of the forecaster. */
public record ForecastSettings(String groupId, int maxBatch, int horizonHours, int alertHorizonHours, double level,
                               int minHistoryHours, int retentionDays, int leadHours, Duration refitInterval) {

    public static final ConfigKey<String> GROUP_ID = ConfigKey.string("forecast.group.id",
            "Consumer group of the forecaster (its offsets live in the database with the history).")
            .defaultValue("aiops-forecaster");
    public static final ConfigKey<Integer> MAX_BATCH = ConfigKey.integer("forecast.max.batch",
            "Most metric windows merged into the history in one database transaction.").defaultValue("5000")
            .range(1, 100_000);
    public static final ConfigKey<Integer> HORIZON_HOURS = ConfigKey.integer("forecast.horizon.hours",
            "Hours ahead each published forecast covers.").defaultValue("168").range(1, 168);
    public static final ConfigKey<Integer> ALERT_HORIZON_HOURS = ConfigKey.integer("forecast.alert.horizon.hours",
            "A utilisation series forecast to reach its limit within this many hours raises PredictedExhaustion.")
            .defaultValue("24").range(1, 168);
    public static final ConfigKey<Integer> LEVEL_PERCENT = ConfigKey.integer("forecast.interval.percent",
            "Coverage of the prediction intervals, in percent.").defaultValue("80").range(50, 99);
    public static final ConfigKey<Integer> MIN_HISTORY_HOURS = ConfigKey.integer("forecast.min.history.hours",
            "Hours with data a series needs before it is forecast (below: insufficient_history).").defaultValue("336")
            .range(312, 24 * 90);
    public static final ConfigKey<Integer> RETENTION_DAYS = ConfigKey.integer("forecast.retention.days",
            "Days of hourly history kept per series (counted back from its newest hour).").defaultValue("42")
            .range(35, 400);
    public static final ConfigKey<Integer> LEAD_HOURS = ConfigKey.integer("forecast.recommendation.lead.hours",
            "A replica recommendation covers the most load forecast over this many hours ahead.").defaultValue("2")
            .range(1, 24);
    public static final ConfigKey<Integer> REFIT_INTERVAL_MS = ConfigKey.integer("forecast.refit.interval.ms",
            "How often series with newly completed hours are re-forecast.").defaultValue("1000").range(50, 3_600_000);

    public static final List<ConfigKey<?>> ALL = List.of(GROUP_ID, MAX_BATCH, HORIZON_HOURS, ALERT_HORIZON_HOURS,
            LEVEL_PERCENT, MIN_HISTORY_HOURS, RETENTION_DAYS, LEAD_HOURS, REFIT_INTERVAL_MS);

    public static ForecastSettings from(final AiopsConfig config) {
        return new ForecastSettings(config.get(GROUP_ID), config.get(MAX_BATCH), config.get(HORIZON_HOURS),
                config.get(ALERT_HORIZON_HOURS), config.get(LEVEL_PERCENT) / 100.0, config.get(MIN_HISTORY_HOURS),
                config.get(RETENTION_DAYS), config.get(LEAD_HOURS), Duration.ofMillis(config.get(REFIT_INTERVAL_MS)));
    }

    public static ForecastSettings defaults() {
        return new ForecastSettings("aiops-forecaster", 5000, 168, 24, 0.8, 336, 42, 2, Duration.ofSeconds(1));
    }

    public ForecastSettings withGroupId(final String group) {
        return new ForecastSettings(group, maxBatch, horizonHours, alertHorizonHours, level, minHistoryHours,
                retentionDays, leadHours, refitInterval);
    }
}
