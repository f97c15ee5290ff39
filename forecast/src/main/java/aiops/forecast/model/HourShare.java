package aiops.forecast.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The part of one metric window that falls into one hour: windows of any length are re-bucketed by overlap, so an
 * hour's value is the time-weighted mean of every window that covered part of it. A repeated window (a retried
 * webhook) adds weight but does not move the mean.
 *
 * @param hour         hours since the epoch
 * @param seconds      seconds of the window inside the hour (the weight)
 * @param weightedSum  mean times seconds
 */
public record HourShare(long hour, double seconds, double weightedSum, double min, double max) {

    /** Splits window {@code [startMs, endMs)} with the given mean, min and max; an empty window counts as one second. */
    public static List<HourShare> split(final long startMs, final long endMs, final double mean, final double min,
                                        final double max) {
        if (endMs <= startMs) {
            final long hour = Math.floorDiv(startMs, HourlyHistory.HOUR_MS);
            return List.of(new HourShare(hour, 1, mean, min, max));
        }
        final List<HourShare> out = new ArrayList<>(2);
        long from = startMs;
        while (from < endMs) {
            final long hour = Math.floorDiv(from, HourlyHistory.HOUR_MS);
            final long to = Math.min(endMs, (hour + 1) * HourlyHistory.HOUR_MS);
            final double seconds = (to - from) / 1000.0;
            out.add(new HourShare(hour, seconds, mean * seconds, min, max));
            from = to;
        }
        return out;
    }

    /** Both shares of the same hour together. */
    public HourShare plus(final HourShare other) {
        return new HourShare(hour, seconds + other.seconds, weightedSum + other.weightedSum, Math.min(min, other.min),
                Math.max(max, other.max));
    }

    public double mean() {
        return weightedSum / seconds;
    }
}
