package aiops.forecast.model;

import java.util.Arrays;

/**
 * One series at hourly resolution: {@code values[i]} is the mean over hour {@code startHour + i} (hours since the
 * epoch), {@code NaN} where no window covered that hour.
 */
public record HourlyHistory(long startHour, double[] values) {

    public static final long HOUR_MS = 3_600_000L;

    public HourlyHistory {
        values = values.clone();
    }

    public int size() {
        return values.length;
    }

    /** The first hour after the history: where a forecast from it starts. */
    public long endHour() {
        return startHour + values.length;
    }

    public double at(final int index) {
        return values[index];
    }

    public int hoursWithData() {
        int n = 0;
        for (final double v : values) {
            if (!Double.isNaN(v)) {
                n++;
            }
        }
        return n;
    }

    /** The first {@code hours} hours. */
    public HourlyHistory head(final int hours) {
        return new HourlyHistory(startHour, Arrays.copyOf(values, Math.min(hours, values.length)));
    }

    /** The last {@code hours} hours (all of it when shorter). */
    public HourlyHistory tail(final int hours) {
        final int from = Math.max(0, values.length - hours);
        return new HourlyHistory(startHour + from, Arrays.copyOfRange(values, from, values.length));
    }

    /** Hour of the week (0 = Thursday 00:00 UTC, the epoch's weekday) of index {@code i}. */
    public int hourOfWeek(final int index) {
        return (int) Math.floorMod(startHour + index, 168L);
    }

    double[] raw() {
        return values;
    }
}
