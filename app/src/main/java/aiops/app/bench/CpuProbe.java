package aiops.app.bench;

/**
 * A fixed single-thread workload, timed around a measurement, so figures taken at different CPU speeds (another
 * machine, or a shared VM in a slow spell) can be told apart: when the probe takes 40 % longer, so does everything
 * else. It is a chain of xorshift steps, each depending on the last, so neither the JIT nor the CPU can skip or
 * overlap work; the best of several rounds leaves out a round that was descheduled.
 */
final class CpuProbe {

    private static final int STEPS = 20_000_000;
    private static final int ROUNDS = 7;
    private static volatile long sink;

    private CpuProbe() {
    }

    /** Milliseconds of the fastest round, to two decimals. */
    static double millis() {
        long best = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            final long start = System.nanoTime();
            sink = chain(sink | 1, STEPS);
            best = Math.min(best, System.nanoTime() - start);
        }
        return Math.round(best / 10_000.0) / 100.0;
    }

    /** Puts the probe taken before the measurement and one taken now into a bench's result. */
    static void record(final java.util.Map<String, Object> result, final double before) {
        result.put("cpu_probe_ms_before", before);
        result.put("cpu_probe_ms_after", millis());
    }

    static long chain(final long seed, final int steps) {
        long x = seed;
        for (int i = 0; i < steps; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }
}
