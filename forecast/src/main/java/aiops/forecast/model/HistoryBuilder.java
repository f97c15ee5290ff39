package aiops.forecast.model;

import java.util.Arrays;
import java.util.TreeMap;

/** Re-buckets metric windows of any length, in any order, into an {@link HourlyHistory} (in memory). */
public final class HistoryBuilder {

    private final TreeMap<Long, HourShare> hours = new TreeMap<>();

    public HistoryBuilder add(final long startMs, final long endMs, final double mean, final double min,
                              final double max) {
        for (final HourShare s : HourShare.split(startMs, endMs, mean, min, max)) {
            hours.merge(s.hour(), s, HourShare::plus);
        }
        return this;
    }

    public boolean isEmpty() {
        return hours.isEmpty();
    }

    /** Every hour from the first with data to the last, gaps as {@code NaN}. */
    public HourlyHistory build() {
        if (hours.isEmpty()) {
            return new HourlyHistory(0, new double[0]);
        }
        final long first = hours.firstKey();
        final double[] v = new double[(int) (hours.lastKey() - first + 1)];
        Arrays.fill(v, Double.NaN);
        hours.forEach((hour, share) -> v[(int) (hour - first)] = share.mean());
        return new HourlyHistory(first, v);
    }
}
