package aiops.app.bench;

import aiops.forecast.ForecastSettings;
import aiops.forecast.SeriesPlanner;
import aiops.forecast.model.HourlyHistory;
import aiops.forecast.model.Method;
import aiops.forecast.store.SeriesKey;
import aiops.ingest.scenario.CapacityScenarioGenerator;
import aiops.ingest.scenario.CapacitySeries;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code aiops bench forecast}: fits generated series (request rates, CPU, memory, disks; 35 days hourly) with the
 * forecaster's full path (backtest of every candidate against the baseline, intervals, exhaustion check) on all
 * cores, and reports series per second and the process's resident memory.
 */
@Command(name = "forecast", mixinStandardHelpOptions = true,
        description = "Fit N generated series of D days hourly; last line {\"series\",\"series_per_s\",\"rss_mb\"}.")
public final class ForecastBenchCommand implements Callable<Integer> {

    @Option(names = "--series", defaultValue = "10000", description = "Series to fit. Default: ${DEFAULT-VALUE}.")
    private int count;

    @Option(names = "--days", defaultValue = "35", description = "Days of hourly history each. Default: ${DEFAULT-VALUE}.")
    private int days;

    @Option(names = "--horizon-hours", defaultValue = "168", description = "Hours forecast. Default: ${DEFAULT-VALUE}.")
    private int horizon;

    @Option(names = "--threads", description = "Fitting threads. Default: available processors.")
    private Integer threads;

    @Option(names = "--json", description = "Print only the JSON line.")
    private boolean json;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (count < 1 || days < 14 || days > 90 || horizon < 1 || horizon > 168) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--series >= 1, --days 14-90 and --horizon-hours 1-168");
        }
        final PrintWriter out = spec.commandLine().getOut();
        final long startHour = 493_000L;
        final List<HourlyHistory> histories = new ArrayList<>(count);
        final List<SeriesKey> keys = new ArrayList<>(count);
        final List<String> units = new ArrayList<>(count);
        for (long seed = 1; histories.size() < count; seed++) {
            for (final CapacitySeries s : CapacityScenarioGenerator.series(seed, startHour, days)) {
                if (histories.size() < count) {
                    histories.add(new HourlyHistory(startHour, s.values()));
                    keys.add(new SeriesKey("", s.service() + "-" + seed, s.metric()));
                    units.add(s.unit());
                }
            }
        }
        final SeriesPlanner planner = new SeriesPlanner(ForecastSettings.defaults());
        final int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        final ExecutorService pool = Executors.newFixedThreadPool(n);
        final Map<Method, Integer> methods = new EnumMap<>(Method.class);
        final long started = System.nanoTime();
        try {
            final List<Future<Method[]>> parts = new ArrayList<>();
            for (int t = 0; t < n; t++) {
                final int from = t * count / n;
                final int to = (t + 1) * count / n;
                parts.add(pool.submit(() -> {
                    final Method[] chosen = new Method[to - from];
                    for (int i = from; i < to; i++) {
                        chosen[i - from] = planner.outlook(keys.get(i), units.get(i), histories.get(i), horizon, null)
                                .forecast().method();
                    }
                    return chosen;
                }));
            }
            for (final Future<Method[]> part : parts) {
                for (final Method m : part.get()) {
                    methods.merge(m, 1, Integer::sum);
                }
            }
        } finally {
            pool.shutdown();
        }
        final double seconds = (System.nanoTime() - started) / 1e9;
        if (!json) {
            out.printf(Locale.ROOT, "%d series x %d h fitted on %d threads in %.2f s; models published: %s%n", count,
                    days * 24, n, seconds, methods);
        }
        final Map<String, Object> result = new LinkedHashMap<>();
        result.put("series", count);
        result.put("series_per_s", Math.round(count / seconds));
        result.put("rss_mb", rssMb());
        out.println(new ObjectMapper().writeValueAsString(result));
        out.flush();
        return 0;
    }

    /** Resident set size from /proc (Linux); the JVM's used heap where /proc is absent. */
    static long rssMb() {
        try {
            for (final String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
                }
            }
        } catch (final IOException | NumberFormatException e) {
            // fall through
        }
        final Runtime r = Runtime.getRuntime();
        return (r.totalMemory() - r.freeMemory()) / (1024 * 1024);
    }
}
