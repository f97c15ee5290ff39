package aiops.forecast.eval;

import aiops.forecast.model.ExhaustionCheck;
import aiops.forecast.model.HourlyHistory;
import aiops.forecast.model.Method;
import aiops.forecast.model.SeriesForecast;
import aiops.forecast.model.SeriesForecaster;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores the forecaster on series with known futures. Accuracy: the last 24 h of each series are held out, the
 * model is fitted on the rest, and its sMAPE and interval coverage are compared with the seasonal-naive forecast of
 * the same hours. Exhaustion: the service's decision is replayed hour by hour over the last week, so an alert is
 * credited with the lead it would have had live; any alert on a series that does not run out is a false one.
 */
public final class ForecastEvaluation {

    public static final int HOLDOUT_HOURS = 24;
    private static final int REPLAYED_HOURS = 168;

    /** One series to score: {@code limit} null when it is no utilisation series, {@code exhaustedHour} null when it never runs out. */
    public record Series(String scenario, String service, String metric, HourlyHistory history, Double limit,
                         Long exhaustedHour) {
    }

    /** Per-series outcome, for the report. */
    public record Outcome(Series series, Method method, Double smape, Double baselineSmape, double coverage,
                          Long firstAlertHour) {
    }

    /** The figures of {@code aiops eval forecast}. */
    public record Result(int series, int forecast, double smape, double smapeSeasonalNaive, double intervalCoverage,
                         int exhaustionExpected, int exhaustionPredicted, Double medianLeadHours, int falseExhaustion,
                         List<Outcome> outcomes) {
    }

    private final SeriesForecaster forecaster;
    private final int alertHorizon;

    public ForecastEvaluation(final SeriesForecaster forecaster, final int alertHorizon) {
        this.forecaster = forecaster;
        this.alertHorizon = alertHorizon;
    }

    public Result evaluate(final List<Series> all) {
        double smapeSum = 0;
        double baselineSum = 0;
        int covered = 0;
        int points = 0;
        int forecast = 0;
        int expected = 0;
        int predicted = 0;
        int falseAlarms = 0;
        final List<Double> leads = new ArrayList<>();
        final List<Outcome> outcomes = new ArrayList<>();
        for (final Series s : all) {
            final HourlyHistory h = s.history();
            final HourlyHistory train = h.head(h.size() - HOLDOUT_HOURS);
            final SeriesForecast f = forecaster.forecast(train, HOLDOUT_HOURS, 0.8);
            final SeriesForecast naive = SeriesForecaster.seasonalNaive(train, HOLDOUT_HOURS);
            Double smape = null;
            Double baseline = null;
            double coverage = Double.NaN;
            if (f.hasPoints() && naive != null) {
                double e = 0;
                double b = 0;
                int n = 0;
                int in = 0;
                for (int k = 0; k < HOLDOUT_HOURS; k++) {
                    final double actual = h.at(train.size() + k);
                    if (Double.isNaN(actual)) {
                        continue;
                    }
                    final SeriesForecast.Point p = f.points().get(k);
                    e += SeriesForecaster.smape(actual, p.value());
                    b += SeriesForecaster.smape(actual, naive.points().get(k).value());
                    in += actual >= p.lower() && actual <= p.upper() ? 1 : 0;
                    n++;
                }
                if (n > 0) {
                    forecast++;
                    smape = e / n;
                    baseline = b / n;
                    smapeSum += smape;
                    baselineSum += baseline;
                    covered += in;
                    points += n;
                    coverage = (double) in / n;
                }
            }
            Long firstAlert = null;
            if (s.limit() != null) {
                firstAlert = firstAlert(h, s.limit(), s.exhaustedHour());
                if (s.exhaustedHour() != null) {
                    expected++;
                    if (firstAlert != null) {
                        predicted++;
                        leads.add((double) (s.exhaustedHour() - firstAlert));
                    }
                } else if (firstAlert != null) {
                    falseAlarms++;
                }
            }
            outcomes.add(new Outcome(s, f.method(), smape, baseline, coverage, firstAlert));
        }
        return new Result(all.size(), forecast, forecast == 0 ? 0 : smapeSum / forecast,
                forecast == 0 ? 0 : baselineSum / forecast, points == 0 ? 0 : (double) covered / points, expected,
                predicted, median(leads), falseAlarms, outcomes);
    }

    /**
     * The first hour, among the last week's origins (up to the exhaustion itself when there is one), at which the
     * service would have raised the alert; null when it never would.
     */
    private Long firstAlert(final HourlyHistory h, final double limit, final Long exhaustedHour) {
        final int end = exhaustedHour == null ? h.size() : (int) Math.min(h.size(), exhaustedHour - h.startHour());
        for (int origin = Math.max(1, h.size() - REPLAYED_HOURS); origin <= end; origin++) {
            final SeriesForecast f = forecaster.forecast(h.head(origin), alertHorizon, 0.8);
            if (f.hasPoints() && ExhaustionCheck.of(f, limit, alertHorizon).predicted()) {
                return h.startHour() + origin;
            }
        }
        return null;
    }

    private static Double median(final List<Double> values) {
        if (values.isEmpty()) {
            return null;
        }
        final List<Double> sorted = values.stream().sorted().toList();
        final int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
