package aiops.forecast.model;

import java.util.Locale;
import java.util.Map;

/**
 * When a utilisation series reaches its limit. Only the point forecast raises the alarm (the bounds only give the
 * ETA's range), so a flat or noisy-but-stable series whose upper bound brushes the limit stays quiet.
 *
 * @param etaHour         first hour whose point forecast is at or above the limit within the horizon, or null
 * @param earliestHour    first hour whose upper bound is
 * @param latestHour      first hour whose lower bound is, or null when beyond the horizon
 */
public record ExhaustionCheck(double limit, int horizonHours, Long etaHour, Long earliestHour, Long latestHour) {

    public static final double RATIO_LIMIT = 0.95;
    public static final double PERCENT_LIMIT = 95;

    public boolean predicted() {
        return etaHour != null;
    }

    /**
     * The limit of a series, or null when it is not a utilisation series: a catalogue limit for the metric, else the
     * default for unit {@code ratio} or {@code percent} (also recognised from a {@code _ratio}/{@code _percent} name).
     */
    public static Double limitOf(final String metric, final String unit, final Map<String, Double> catalogued) {
        final Double configured = catalogued == null ? null : catalogued.get(metric);
        if (configured != null) {
            return configured;
        }
        final String u = unit == null ? "" : unit.toLowerCase(Locale.ROOT);
        if (u.equals("ratio") || metric.endsWith("_ratio")) {
            return RATIO_LIMIT;
        }
        if (u.equals("percent") || u.equals("%") || metric.endsWith("_percent")) {
            return PERCENT_LIMIT;
        }
        return null;
    }

    public static ExhaustionCheck of(final SeriesForecast forecast, final double limit, final int horizonHours) {
        Long eta = null;
        Long earliest = null;
        Long latest = null;
        final int n = Math.min(horizonHours, forecast.points().size());
        for (int k = 0; k < n; k++) {
            final SeriesForecast.Point p = forecast.points().get(k);
            if (eta == null && p.value() >= limit) {
                eta = p.hour();
            }
            if (earliest == null && p.upper() >= limit) {
                earliest = p.hour();
            }
            if (latest == null && p.lower() >= limit) {
                latest = p.hour();
            }
        }
        return new ExhaustionCheck(limit, horizonHours, eta, eta == null ? null : earliest, eta == null ? null : latest);
    }
}
