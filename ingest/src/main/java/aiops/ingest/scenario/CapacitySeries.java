package aiops.ingest.scenario;

import java.util.Random;

/**
 * One synthetic hourly series as production load looks: a daily curve (night trough, business-hours peak, a smaller
 * evening one), weekends at a fraction of weekdays, slow growth, multiplicative noise, a public holiday that looks
 * like a Sunday, and a few hours lost to scrape gaps. Utilisation series instead hover around a level or, when
 * {@code fillPerDay} is set, fill up.
 *
 * @param values {@code NaN} where the hour has no window
 * @param exhaustedHour index of the first hour the noiseless series reaches {@code limit}, or -1
 */
public record CapacitySeries(String service, String metric, String unit, double[] values, double limit,
                             int exhaustedHour) {

    /** Hours since the epoch are Thursdays at 0; day index 2 and 3 of a week from there are Saturday and Sunday. */
    static boolean weekend(final long hour) {
        final long day = Math.floorMod(Math.floorDiv(hour, 24L), 7L);
        return day == 2 || day == 3;
    }

    static double dailyShape(final long hour) {
        final double h = Math.floorMod(hour, 24L);
        return 0.35 + 0.65 * Math.exp(-Math.pow((h - 14) / 3.5, 2)) + 0.3 * Math.exp(-Math.pow((h - 20) / 2.0, 2));
    }

    /** Request rate: {@code level} req/s at the weekday peak. */
    public static CapacitySeries requests(final Random r, final String service, final long startHour, final int hours,
                                          final double level, final int holidayDay) {
        final double weekendFactor = 0.5 + 0.25 * r.nextDouble();
        final double growthPerWeek = 0.01 + 0.03 * r.nextDouble();
        final double noise = 0.03 + 0.03 * r.nextDouble();
        final double[] v = new double[hours];
        for (int i = 0; i < hours; i++) {
            final long hour = startHour + i;
            final boolean offDay = weekend(hour) || i / 24 == holidayDay;
            final double mean = level * dailyShape(hour) * (offDay ? weekendFactor : 1) * (1 + growthPerWeek * i / 168.0);
            v[i] = round(mean * Math.max(0.5, 1 + noise * r.nextGaussian()), 2);
        }
        gaps(r, v);
        return new CapacitySeries(service, "http_requests_per_s", "req/s", v, Double.NaN, -1);
    }

    /** CPU follows load: a ratio well below its limit even at the peak. */
    public static CapacitySeries cpu(final Random r, final CapacitySeries load, final double peakRatio) {
        double peak = 0;
        for (final double x : load.values) {
            peak = Double.isNaN(x) ? peak : Math.max(peak, x);
        }
        final double[] v = new double[load.values.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = Double.isNaN(load.values[i]) ? Double.NaN
                    : round(Math.min(1, 0.05 + (peakRatio - 0.05) * load.values[i] / peak + 0.01 * r.nextGaussian()), 4);
        }
        return new CapacitySeries(load.service, "cpu_utilization_ratio", "ratio", v, 0.95, -1);
    }

    /**
     * A utilisation ratio: {@code level} with noise of {@code noise}, a small daily wiggle, and from
     * {@code fillFrom} on (an hour index, or beyond the end) growth of {@code fillPerDay}.
     */
    public static CapacitySeries utilisation(final Random r, final String service, final String metric,
                                             final long startHour, final int hours, final double level,
                                             final double noise, final int fillFrom, final double fillPerDay,
                                             final double limit) {
        final double[] v = new double[hours];
        int exhausted = -1;
        for (int i = 0; i < hours; i++) {
            final double daily = 0.01 * Math.sin(2 * Math.PI * Math.floorMod(startHour + i, 24L) / 24.0);
            final double mean = level + daily + (i > fillFrom ? fillPerDay * (i - fillFrom) / 24.0 : 0);
            if (exhausted < 0 && mean >= limit) {
                exhausted = i;
            }
            v[i] = round(Math.max(0, Math.min(1, mean + noise * r.nextGaussian())), 4);
        }
        gaps(r, v);
        return new CapacitySeries(service, metric, "ratio", v, limit, exhausted);
    }

    private static void gaps(final Random r, final double[] v) {
        final int gaps = 2 + r.nextInt(4);
        for (int g = 0; g < gaps; g++) {
            final int at = 24 + r.nextInt(v.length - 72);
            for (int k = 0; k < 1 + r.nextInt(3); k++) {
                v[at + k] = Double.NaN;
            }
        }
    }

    private static double round(final double x, final int decimals) {
        final double f = Math.pow(10, decimals);
        return Math.round(x * f) / f;
    }
}
