package aiops.app.bench;

import java.util.Arrays;

/** Throughput and latency of one closed-loop load run. */
record LoadResult(long requests, long records, double seconds, long[] latenciesNanos, long failures) {

    double requestsPerSecond() {
        return requests / seconds;
    }

    double recordsPerSecond() {
        return records / seconds;
    }

    double percentileMillis(final double p) {
        if (latenciesNanos.length == 0) {
            return 0;
        }
        final long[] sorted = latenciesNanos.clone();
        Arrays.sort(sorted);
        final int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1_000_000.0;
    }
}
