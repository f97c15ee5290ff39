package aiops.forecast.model;

/**
 * Seasonal terms, tabulated per hour of the week: {@code DAILY} Fourier harmonics of the 24 h period, {@code WEEKLY}
 * harmonics of the 168 h period (smooth changes through the week) and one indicator per UTC weekday but the first
 * (the step from weekdays to the weekend, which a few harmonics cannot draw). Harmonics of the week that are also
 * daily ones (7, 14, ...) are not used, and the indicators omit one day, so no column is a sum of others.
 */
final class SeasonalTerms {

    static final int DAILY = 4;
    static final int WEEKLY = 3;
    static final int WEEKDAYS = 6;
    /** Columns of a full row. */
    static final int COLUMNS = 2 * (DAILY + WEEKLY) + WEEKDAYS;

    private static final double[][] TABLE = new double[168][];

    static {
        for (int h = 0; h < 168; h++) {
            final double[] row = new double[COLUMNS];
            int c = 0;
            for (int k = 1; k <= DAILY; k++) {
                row[c++] = Math.sin(2 * Math.PI * k * h / 24.0);
                row[c++] = Math.cos(2 * Math.PI * k * h / 24.0);
            }
            for (int k = 1; k <= WEEKLY; k++) {
                row[c++] = Math.sin(2 * Math.PI * k * h / 168.0);
                row[c++] = Math.cos(2 * Math.PI * k * h / 168.0);
            }
            final int day = h / 24;
            for (int d = 1; d <= WEEKDAYS; d++) {
                row[c++] = day == d ? 1 : 0;
            }
            TABLE[h] = row;
        }
    }

    private SeasonalTerms() {
    }

    /** Terms of one hour of the week: the daily harmonics first, then the weekly ones, then the weekday indicators. */
    static double[] of(final int hourOfWeek) {
        return TABLE[hourOfWeek];
    }
}
