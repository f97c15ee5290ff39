package aiops.ingest.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Capacity scenarios: several weeks of hourly metric windows for the services of the sample catalogue (request
 * rates with daily and weekly cycles, growth, noise and a holiday; CPU, memory and disk utilisation), among them
 * disks that fill up and must be predicted, and utilisation series that must not be. The catalogue carries each
 * service's capacity; {@code truth.json} lists every utilisation series under {@code forecasts}. Same seed, same files.
 */
public final class CapacityScenarioGenerator {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Request-rate services with their weekday peak (req/s) and what one replica serves. */
    private static final Object[][] SERVED = {
        {"frontend", 900.0, 120.0}, {"api-gateway", 1400.0, 200.0}, {"checkout", 260.0, 40.0},
        {"search", 520.0, 90.0}, {"payments", 180.0, 30.0}, {"catalog", 610.0, 110.0},
    };
    private static final String[] DATABASES = {"orders-db", "payments-db", "users-db", "catalog-db"};

    private final Random random;
    private final int days;

    private CapacityScenarioGenerator(final long seed, final int days) {
        this.random = new Random(seed);
        this.days = days;
    }

    /** Writes {@code count} scenarios named {@code cap-<seed>-<i>} with {@code days} days of history under {@code out}. */
    public static List<Path> generate(final Path out, final long seed, final int count, final int days)
            throws IOException {
        if (days < 1 || days > 90) {
            throw new IllegalArgumentException("--history-days must be 1-90, got " + days);
        }
        final List<Path> written = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final Path dir = out.resolve(String.format(Locale.ROOT, "cap-%d-%02d", seed, i));
            new CapacityScenarioGenerator(seed * 1_000 + i, days).write(dir);
            written.add(dir);
        }
        return written;
    }

    /** The series of one scenario, in memory (the forecast benchmark fits these). */
    public static List<CapacitySeries> series(final long seed, final long startHour, final int days) {
        return new CapacityScenarioGenerator(seed, days).series(startHour);
    }

    private List<CapacitySeries> series(final long startHour) {
        final int hours = days * 24;
        final int holiday = days > 14 ? 7 + random.nextInt(days - 14) : -1;
        final List<CapacitySeries> out = new ArrayList<>();
        for (final Object[] s : SERVED) {
            final double level = (double) s[1] * (0.8 + 0.4 * random.nextDouble());
            final CapacitySeries load = CapacitySeries.requests(random, (String) s[0], startHour, hours, level, holiday);
            out.add(load);
            if (random.nextBoolean()) {
                out.add(CapacitySeries.cpu(random, load, 0.45 + 0.25 * random.nextDouble()));
            }
        }
        for (final String svc : List.of("checkout", "search")) {
            out.add(CapacitySeries.utilisation(random, svc, "memory_used_ratio", startHour, hours,
                    0.72 + 0.1 * random.nextDouble(), 0.02, Integer.MAX_VALUE, 0, 0.95));
        }
        // One or two disks fill up and cross 90 % within the last day; the others are busy but stable.
        final int filling = 1 + random.nextInt(2);
        for (int d = 0; d < DATABASES.length; d++) {
            final boolean fills = d < filling;
            final double limit = 0.9;
            if (fills) {
                final int crossAt = hours - 6 - random.nextInt(14);
                final double perDay = 0.03 + 0.04 * random.nextDouble();
                final int fillDays = 9;
                final double level = limit - perDay * fillDays;
                out.add(CapacitySeries.utilisation(random, DATABASES[d], "disk_used_ratio", startHour, hours, level,
                        0.004, crossAt - fillDays * 24, perDay, limit));
            } else {
                out.add(CapacitySeries.utilisation(random, DATABASES[d], "disk_used_ratio", startHour, hours,
                        0.55 + 0.25 * random.nextDouble(), 0.006, Integer.MAX_VALUE, 0, limit));
            }
        }
        return out;
    }

    private void write(final Path dir) throws IOException {
        final Instant end = Instant.parse("2026-11-02T00:00:00Z").plusSeconds(3600L * 24 * random.nextInt(28));
        final long startHour = end.getEpochSecond() / 3600 - days * 24L;
        final List<CapacitySeries> all = series(startHour);
        Files.createDirectories(dir);
        final StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < days * 24; i++) {
            final Instant from = Instant.ofEpochSecond((startHour + i) * 3600);
            final Instant to = from.plusSeconds(3600);
            final ArrayNode windows = JSON.createArrayNode();
            for (final CapacitySeries s : all) {
                final double v = s.values()[i];
                if (Double.isNaN(v)) {
                    continue;
                }
                windows.addObject().put("service", s.service()).put("metric", s.metric()).put("start", from.toString())
                        .put("end", to.toString()).put("count", 60).put("min", v).put("max", v).put("mean", v)
                        .put("unit", s.unit());
            }
            final ObjectNode line = JSON.createObjectNode().put("at", to.toString()).put("kind", "metric");
            line.set("body", windows);
            ndjson.append(JSON.writeValueAsString(line)).append('\n');
        }
        Files.writeString(dir.resolve(ScenarioReader.SIGNALS), ndjson);
        Files.writeString(dir.resolve("catalog.yaml"), catalogYaml(all));
        final ObjectNode truth = JSON.createObjectNode();
        truth.putArray("incidents");
        final ArrayNode forecasts = truth.putArray("forecasts");
        for (final CapacitySeries s : all) {
            if (!Double.isNaN(s.limit())) {
                forecasts.addObject().put("service", s.service()).put("metric", s.metric()).put("limit", s.limit())
                        .put("exhausted_at", s.exhaustedHour() < 0 ? null
                                : Instant.ofEpochSecond((startHour + s.exhaustedHour()) * 3600).toString());
            }
        }
        Files.writeString(dir.resolve("truth.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(truth)
                + "\n");
    }

    private static String catalogYaml(final List<CapacitySeries> all) {
        final StringBuilder y = new StringBuilder("services:\n");
        for (final Object[] row : ScenarioGenerator.CATALOG) {
            final String name = (String) row[0];
            y.append("  - name: ").append(name).append('\n')
                    .append("    owner: team-").append(name).append('\n')
                    .append("    tier: ").append(row[2]).append('\n')
                    .append("    depends_on: ").append(row[3]).append('\n')
                    .append("    kubernetes: {namespace: shop, deployment: ").append(name).append("}\n");
            final List<String> capacity = new ArrayList<>();
            for (final Object[] s : SERVED) {
                if (s[0].equals(name)) {
                    capacity.add(String.format(Locale.ROOT, "qps_per_replica: %.0f, min_replicas: 2, max_replicas: 20, "
                            + "headroom: 0.2", (double) s[2]));
                }
            }
            final List<String> limits = all.stream().filter(s -> s.service().equals(name) && !Double.isNaN(s.limit()))
                    .map(s -> s.metric() + ": " + s.limit()).toList();
            if (!limits.isEmpty()) {
                capacity.add("limits: {" + String.join(", ", limits) + "}");
            }
            if (!capacity.isEmpty()) {
                y.append("    capacity: {").append(String.join(", ", capacity)).append("}\n");
            }
        }
        return y.toString();
    }
}
