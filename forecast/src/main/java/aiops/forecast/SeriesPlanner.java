package aiops.forecast;

import aiops.avro.ServiceCapacity;
import aiops.avro.ServiceEntry;
import aiops.forecast.model.ExhaustionCheck;
import aiops.forecast.model.HourlyHistory;
import aiops.forecast.model.ReplicaPlan;
import aiops.forecast.model.SeriesForecast;
import aiops.forecast.model.SeriesForecaster;
import aiops.forecast.store.SeriesKey;
import java.util.Map;

/**
 * Everything the forecaster concludes about one series from its history and the catalogue: the forecast, whether
 * a utilisation series runs out within the alert horizon, and the replicas a request-rate series needs. Shared by
 * the background runner and the query API, so both always say the same.
 */
public final class SeriesPlanner {

    /** What one series is forecast to do. {@code exhaustion} and {@code plan} are null where they do not apply. */
    public record Outlook(SeriesKey key, String unit, SeriesForecast forecast, ExhaustionCheck exhaustion,
                          ReplicaPlan plan) {
    }

    private final ForecastSettings settings;
    private final SeriesForecaster forecaster;

    public SeriesPlanner(final ForecastSettings settings) {
        this.settings = settings;
        this.forecaster = new SeriesForecaster(settings.minHistoryHours());
    }

    public Outlook outlook(final SeriesKey key, final String unit, final HourlyHistory history, final int hours,
                           final ServiceEntry catalogued) {
        final SeriesForecast f = forecaster.forecast(history, Math.max(hours, settings.alertHorizonHours()),
                settings.level());
        final ServiceCapacity capacity = catalogued == null ? null : catalogued.getCapacity();
        final Map<String, Double> limits = capacity == null ? null : capacity.getLimits();
        final Double limit = ExhaustionCheck.limitOf(key.metric(), unit, limits);
        final ExhaustionCheck exhaustion = limit == null || !f.hasPoints() ? null
                : ExhaustionCheck.of(f, limit, settings.alertHorizonHours());
        ReplicaPlan plan = null;
        if (capacity != null && capacity.getQpsPerReplica() != null && key.metric().equals(capacity.getQpsMetric())
                && f.hasPoints()) {
            plan = ReplicaPlan.of(f.limit(hours), capacity.getQpsPerReplica(), capacity.getHeadroom(),
                    capacity.getMinReplicas(), capacity.getMaxReplicas(), settings.leadHours());
        }
        return new Outlook(key, unit, f.limit(hours), exhaustion, plan);
    }
}
