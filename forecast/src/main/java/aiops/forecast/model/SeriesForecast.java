package aiops.forecast.model;

import java.util.List;

/**
 * What a series is forecast to do from {@code originHour} on: one point per hour with its prediction interval, the
 * model that was published and how it and the seasonal-naive baseline did in the backtest.
 *
 * @param backtestSmape null for {@link Method#INSUFFICIENT_HISTORY}
 */
public record SeriesForecast(long originHour, Method method, int historyHours, Double backtestSmape,
                             Double baselineSmape, double level, List<Point> points) {

    /** One forecast hour: its start (hours since the epoch), the point forecast and the interval. */
    public record Point(long hour, double value, double lower, double upper) {
    }

    public SeriesForecast {
        points = List.copyOf(points);
    }

    public static SeriesForecast insufficient(final long originHour, final int historyHours, final double level) {
        return new SeriesForecast(originHour, Method.INSUFFICIENT_HISTORY, historyHours, null, null, level, List.of());
    }

    public boolean hasPoints() {
        return !points.isEmpty();
    }

    /** The first {@code hours} points. */
    public SeriesForecast limit(final int hours) {
        return new SeriesForecast(originHour, method, historyHours, backtestSmape, baselineSmape, level,
                points.subList(0, Math.min(hours, points.size())));
    }
}
