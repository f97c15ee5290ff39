package aiops.forecast.model;

/**
 * Point forecasts of each {@link Method} from several origins of one history at once. For origin {@code o} only
 * {@code values[0..o)} is used, and the result holds hours {@code o .. o + horizon - 1}. Returns null when the
 * method cannot be fitted (too few rows, non-positive values for the log model).
 */
final class Predictors {

    /** Hours of the week before an origin that the local trend model is fitted on. */
    static final int LOCAL_WINDOW = 168;
    private static final int LOCAL_DAILY = 3;

    private Predictors() {
    }

    static double[][] predict(final Method method, final HourlyHistory h, final int[] origins, final int horizon) {
        return switch (method) {
            case SEASONAL_REGRESSION -> regression(h, origins, horizon, false);
            case SEASONAL_REGRESSION_LOG -> regression(h, origins, horizon, true);
            case LOCAL_TREND -> localTrend(h, origins, horizon);
            case SEASONAL_NAIVE -> seasonalNaive(h, origins, horizon);
            case INSUFFICIENT_HISTORY -> null;
        };
    }

    /** Intercept, trend (per week) and the seasonal terms; one pass over the history, solved at each origin. */
    private static double[][] regression(final HourlyHistory h, final int[] origins, final int horizon,
                                         final boolean log) {
        final double[] y = h.raw();
        final int p = 2 + SeasonalTerms.COLUMNS;
        final NormalEquations ne = new NormalEquations(p);
        final double[] x = new double[p];
        final double[][] out = new double[origins.length][];
        int next = 0;
        for (int i = 0; i <= origins[origins.length - 1] && next < origins.length; i++) {
            while (next < origins.length && origins[next] == i) {
                final double[] beta = ne.solve();
                if (beta == null) {
                    return null;
                }
                final double[] pred = new double[horizon];
                for (int k = 0; k < horizon; k++) {
                    final double v = dot(beta, regressionRow(h, i + k, x));
                    pred[k] = log ? Math.exp(v) : v;
                }
                out[next++] = pred;
            }
            if (i < y.length && !Double.isNaN(y[i])) {
                if (log && y[i] <= 0) {
                    return null;
                }
                ne.add(regressionRow(h, i, x), log ? Math.log(y[i]) : y[i]);
            }
        }
        return out;
    }

    private static double[] regressionRow(final HourlyHistory h, final int index, final double[] x) {
        x[0] = 1;
        x[1] = index / 168.0;
        System.arraycopy(SeasonalTerms.of(h.hourOfWeek(index)), 0, x, 2, x.length - 2);
        return x;
    }

    private static double[][] localTrend(final HourlyHistory h, final int[] origins, final int horizon) {
        final double[] y = h.raw();
        final int p = 2 + 2 * LOCAL_DAILY;
        final double[] x = new double[p];
        final double[][] out = new double[origins.length][];
        for (int o = 0; o < origins.length; o++) {
            final int origin = origins[o];
            final NormalEquations ne = new NormalEquations(p);
            for (int i = Math.max(0, origin - LOCAL_WINDOW); i < origin; i++) {
                if (!Double.isNaN(y[i])) {
                    ne.add(localRow(h, i, origin, x), y[i]);
                }
            }
            if (ne.rows() < LOCAL_WINDOW / 2) {
                return null;
            }
            final double[] beta = ne.solve();
            if (beta == null) {
                return null;
            }
            final double[] pred = new double[horizon];
            for (int k = 0; k < horizon; k++) {
                pred[k] = dot(beta, localRow(h, origin + k, origin, x));
            }
            out[o] = pred;
        }
        return out;
    }

    private static double[] localRow(final HourlyHistory h, final int index, final int origin, final double[] x) {
        x[0] = 1;
        x[1] = (index - origin) / 168.0;
        System.arraycopy(SeasonalTerms.of(h.hourOfWeek(index)), 0, x, 2, 2 * LOCAL_DAILY);
        return x;
    }

    /** The same hour a week earlier; further weeks back where that hour has no data; the last value otherwise. */
    private static double[][] seasonalNaive(final HourlyHistory h, final int[] origins, final int horizon) {
        final double[] y = h.raw();
        final double[][] out = new double[origins.length][];
        for (int o = 0; o < origins.length; o++) {
            final int origin = origins[o];
            final double fallback = lastValue(y, origin);
            if (Double.isNaN(fallback)) {
                return null;
            }
            final double[] pred = new double[horizon];
            for (int k = 0; k < horizon; k++) {
                double v = Double.NaN;
                for (int t = origin + k - 168; t >= 0 && Double.isNaN(v); t -= 168) {
                    if (t < origin) {
                        v = y[t];
                    }
                }
                pred[k] = Double.isNaN(v) ? fallback : v;
            }
            out[o] = pred;
        }
        return out;
    }

    private static double lastValue(final double[] y, final int before) {
        for (int i = Math.min(before, y.length) - 1; i >= 0; i--) {
            if (!Double.isNaN(y[i])) {
                return y[i];
            }
        }
        return Double.NaN;
    }

    private static double dot(final double[] a, final double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
