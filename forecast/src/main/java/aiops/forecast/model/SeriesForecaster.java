package aiops.forecast.model;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;

/**
 * Picks and runs the model for one series. Each candidate is backtested from rolling origins (the last days before
 * the forecast origin, 24 h ahead each) against the seasonal-naive baseline; the candidate with the lowest sMAPE is
 * published only when it beats the baseline, otherwise the baseline is. Prediction intervals are the empirical
 * quantiles of the published model's backtest errors (relative errors for the log model), widened with the square
 * root of the horizon beyond the 24 h the backtest measured.
 */
public final class SeriesForecaster {

    /** Hours forecast ahead in each backtest fold. */
    static final int FOLD_HOURS = 24;
    private static final int MAX_FOLDS = 7;
    /** Training hours the first fold must still have. */
    private static final int MIN_TRAINING = 240;
    private static final List<Method> CANDIDATES = List.of(Method.SEASONAL_REGRESSION, Method.SEASONAL_REGRESSION_LOG,
            Method.LOCAL_TREND);

    private final int minHistoryHours;

    /** @param minHistoryHours hours with data below which a series is {@link Method#INSUFFICIENT_HISTORY} */
    public SeriesForecaster(final int minHistoryHours) {
        if (minHistoryHours < MIN_TRAINING + 3 * FOLD_HOURS) {
            throw new IllegalArgumentException("at least " + (MIN_TRAINING + 3 * FOLD_HOURS)
                    + " hours of history are needed to backtest a weekly model, got " + minHistoryHours);
        }
        this.minHistoryHours = minHistoryHours;
    }

    public SeriesForecast forecast(final HourlyHistory history, final int horizon, final double level) {
        if (horizon < 1 || horizon > 168) {
            throw new IllegalArgumentException("horizon must be 1-168 hours, got " + horizon);
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must be between 0 and 1, got " + level);
        }
        final int n = history.size();
        final int withData = history.hoursWithData();
        if (withData < minHistoryHours || n < minHistoryHours) {
            return SeriesForecast.insufficient(history.endHour(), withData, level);
        }
        final int folds = Math.min(MAX_FOLDS, (n - MIN_TRAINING) / FOLD_HOURS);
        final int[] origins = new int[folds + 1];
        for (int f = 0; f < folds; f++) {
            origins[f] = n - (folds - f) * FOLD_HOURS;
        }
        origins[folds] = n;
        final int width = Math.max(FOLD_HOURS, horizon);

        final double[][] baseline = Predictors.predict(Method.SEASONAL_NAIVE, history, origins, width);
        if (baseline == null) {
            return SeriesForecast.insufficient(history.endHour(), withData, level);
        }
        final double baselineSmape = smape(history, origins, folds, baseline);
        final Map<Method, double[][]> predictions = new EnumMap<>(Method.class);
        Method best = Method.SEASONAL_NAIVE;
        double bestSmape = baselineSmape;
        for (final Method m : CANDIDATES) {
            final double[][] p = Predictors.predict(m, history, origins, width);
            if (p == null) {
                continue;
            }
            predictions.put(m, p);
            final double s = smape(history, origins, folds, p);
            if (s < bestSmape) {
                best = m;
                bestSmape = s;
            }
        }
        predictions.put(Method.SEASONAL_NAIVE, baseline);
        final double[][] chosen = predictions.get(best);
        final boolean relative = best == Method.SEASONAL_REGRESSION_LOG;
        final double[] errors = errors(history, origins, folds, chosen, relative);
        final Percentile percentile = new Percentile();
        percentile.setData(errors);
        final double lowQ = percentile.evaluate(100 * (1 - level) / 2);
        final double highQ = percentile.evaluate(100 * (1 + level) / 2);
        final boolean nonNegative = nonNegative(history);

        final double[] point = chosen[folds];
        final List<SeriesForecast.Point> points = new ArrayList<>(horizon);
        for (int k = 0; k < horizon; k++) {
            final double widen = k < FOLD_HOURS ? 1 : Math.sqrt((k + 1.0) / FOLD_HOURS);
            final double v = point[k];
            double lo = relative ? v * (1 + lowQ * widen) : v + lowQ * widen;
            double hi = relative ? v * (1 + highQ * widen) : v + highQ * widen;
            double value = v;
            if (nonNegative) {
                value = Math.max(0, value);
                lo = Math.max(0, lo);
                hi = Math.max(0, hi);
            }
            points.add(new SeriesForecast.Point(history.endHour() + k, value, Math.min(lo, value), Math.max(hi, value)));
        }
        return new SeriesForecast(history.endHour(), best, withData, bestSmape, baselineSmape, level, points);
    }

    /** The seasonal-naive forecast alone (the baseline that every published model must beat); null without data. */
    public static SeriesForecast seasonalNaive(final HourlyHistory history, final int horizon) {
        final double[][] p = Predictors.predict(Method.SEASONAL_NAIVE, history, new int[] {history.size()}, horizon);
        if (p == null) {
            return null;
        }
        final List<SeriesForecast.Point> points = new ArrayList<>(horizon);
        for (int k = 0; k < horizon; k++) {
            points.add(new SeriesForecast.Point(history.endHour() + k, p[0][k], p[0][k], p[0][k]));
        }
        return new SeriesForecast(history.endHour(), Method.SEASONAL_NAIVE, history.hoursWithData(), null, null, 0.8,
                points);
    }

    /** Mean sMAPE over the backtest folds (hours without data skipped). */
    static double smape(final HourlyHistory h, final int[] origins, final int folds, final double[][] pred) {
        double sum = 0;
        int count = 0;
        for (int f = 0; f < folds; f++) {
            for (int k = 0; k < FOLD_HOURS; k++) {
                final double y = h.at(origins[f] + k);
                if (!Double.isNaN(y)) {
                    sum += smape(y, pred[f][k]);
                    count++;
                }
            }
        }
        return count == 0 ? Double.POSITIVE_INFINITY : sum / count;
    }

    /** Symmetric absolute percentage error of one point, 0..2; 0 when both are 0. */
    public static double smape(final double actual, final double forecast) {
        final double denominator = Math.abs(actual) + Math.abs(forecast);
        return denominator == 0 ? 0 : 2 * Math.abs(actual - forecast) / denominator;
    }

    private static double[] errors(final HourlyHistory h, final int[] origins, final int folds, final double[][] pred,
                                   final boolean relative) {
        final double[] out = new double[folds * FOLD_HOURS];
        int count = 0;
        for (int f = 0; f < folds; f++) {
            for (int k = 0; k < FOLD_HOURS; k++) {
                final double y = h.at(origins[f] + k);
                final double p = pred[f][k];
                if (!Double.isNaN(y) && (!relative || p > 0)) {
                    out[count++] = relative ? y / p - 1 : y - p;
                }
            }
        }
        return java.util.Arrays.copyOf(out, Math.max(count, 1));
    }

    private static boolean nonNegative(final HourlyHistory h) {
        for (int i = 0; i < h.size(); i++) {
            if (h.at(i) < 0) {
                return false;
            }
        }
        return true;
    }
}
