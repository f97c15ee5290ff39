package aiops.ingest.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Generates realistic incident scenarios over a sample catalogue of 20 services: each fault starts at its root cause
 * and spreads to callers up to two hops away, with symptoms a real stack would raise (Alertmanager groups re-sent
 * every minute, Grafana, PagerDuty and Datadog alerts, error logs, metric windows), plus unrelated noise alerts,
 * background logs and one flapping alert. The same seed always gives the same files.
 */
public final class ScenarioGenerator {

    /** Fault kinds: where they start and what they look like. */
    enum Fault {
        DATABASE_SATURATION("connection_pool_exhaustion", Layer.DATA, "PostgresConnectionsSaturated",
                "remaining connection slots are reserved for non-replication superuser connections"),
        BAD_DEPLOY("crashloop_after_deploy", Layer.MID, "KubePodCrashLooping",
                "Back-off restarting failed container app in pod"),
        MEMORY_LEAK("oom_killed", Layer.MID, "ContainerOOMKilled", "java.lang.OutOfMemoryError: Java heap space"),
        DEPENDENCY_TIMEOUT("dependency_timeout", Layer.MID, "UpstreamTimeouts",
                "upstream request timed out after 5000 ms"),
        NETWORK_PARTITION("network_partition", Layer.DATA, "TargetDown", "connect: no route to host"),
        CERTIFICATE_EXPIRY("certificate_expired", Layer.EDGE, "TLSHandshakeFailures",
                "x509: certificate has expired or is not yet valid"),
        DISK_FULL("disk_full", Layer.DATA, "NodeFilesystemAlmostOutOfSpace", "could not extend file: No space left on device"),
        CONFIG_ERROR("bad_config", Layer.MID, "HighErrorRate", "invalid configuration: missing required key");

        final String name;
        final Layer layer;
        final String rootAlert;
        final String rootLog;

        Fault(final String name, final Layer layer, final String rootAlert, final String rootLog) {
            this.name = name;
            this.layer = layer;
            this.rootAlert = rootAlert;
            this.rootLog = rootLog;
        }
    }

    enum Layer { EDGE, MID, DATA }

    /** name, layer, tier, depends_on. */
    static final Object[][] CATALOG = {
        {"frontend", Layer.EDGE, 1, List.of("api-gateway")},
        {"mobile-bff", Layer.EDGE, 1, List.of("api-gateway")},
        {"api-gateway", Layer.EDGE, 1, List.of("auth", "checkout", "search", "catalog", "users")},
        {"auth", Layer.MID, 1, List.of("users-db")},
        {"checkout", Layer.MID, 1, List.of("cart", "payments", "orders")},
        {"cart", Layer.MID, 2, List.of("cart-redis", "inventory")},
        {"payments", Layer.MID, 1, List.of("payments-db")},
        {"orders", Layer.MID, 1, List.of("orders-db", "event-bus")},
        {"search", Layer.MID, 2, List.of("search-index")},
        {"catalog", Layer.MID, 2, List.of("catalog-db")},
        {"users", Layer.MID, 2, List.of("users-db")},
        {"inventory", Layer.MID, 2, List.of("catalog-db")},
        {"shipping", Layer.MID, 3, List.of("orders-db", "event-bus")},
        {"notifications", Layer.MID, 3, List.of("event-bus")},
        {"payments-db", Layer.DATA, 1, List.of()},
        {"orders-db", Layer.DATA, 1, List.of()},
        {"users-db", Layer.DATA, 1, List.of()},
        {"catalog-db", Layer.DATA, 2, List.of()},
        {"cart-redis", Layer.DATA, 2, List.of()},
        {"search-index", Layer.DATA, 2, List.of()},
    };

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant EPOCH = Instant.parse("2026-03-02T00:00:00Z");

    private final Random random;
    private final List<ObjectNode> lines = new ArrayList<>();
    private final ArrayNode truth = JSON.createArrayNode();

    private ScenarioGenerator(final long seed) {
        this.random = new Random(seed);
    }

    /** Writes {@code count} scenarios named {@code gen-<seed>-<i>} under {@code out}. */
    public static List<Path> generate(final Path out, final long seed, final int count) throws IOException {
        final List<Path> written = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final Path dir = out.resolve(String.format(Locale.ROOT, "gen-%d-%02d", seed, i));
            new ScenarioGenerator(seed * 1_000 + i).write(dir, Fault.values()[(int) ((seed + i) % Fault.values().length)]);
            written.add(dir);
        }
        return written;
    }

    private void write(final Path dir, final Fault first) throws IOException {
        final Instant start = EPOCH.plusSeconds(3600L * random.nextInt(24));
        final int incidents = 1 + random.nextInt(3);
        for (int i = 0; i < incidents; i++) {
            final Fault fault = i == 0 ? first : Fault.values()[random.nextInt(Fault.values().length)];
            incident("inc-" + (i + 1), fault, start.plusSeconds(3600L * i + 300));
        }
        final Instant end = start.plusSeconds(3600L * incidents + 600);
        noise(start, end);
        background(start, end);
        lines.sort(Comparator.comparing(l -> l.get("at").asText()));
        Files.createDirectories(dir);
        final StringBuilder ndjson = new StringBuilder();
        for (final ObjectNode line : lines) {
            ndjson.append(JSON.writeValueAsString(line)).append('\n');
        }
        Files.writeString(dir.resolve(ScenarioReader.SIGNALS), ndjson);
        Files.writeString(dir.resolve("catalog.yaml"), catalogYaml());
        Files.writeString(dir.resolve("truth.json"), JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(JSON.createObjectNode().set("incidents", truth)) + "\n");
    }

    private void incident(final String id, final Fault fault, final Instant start) {
        final List<String> candidates = services(fault.layer).stream().filter(s -> !callers(s).isEmpty()).toList();
        final String root = candidates.get(random.nextInt(candidates.size()));
        final Map<String, Integer> affected = new LinkedHashMap<>();
        affected.put(root, 0);
        for (final String caller : callers(root)) {
            affected.putIfAbsent(caller, 1);
            for (final String next : callers(caller)) {
                if (random.nextDouble() < 0.6) {
                    affected.putIfAbsent(next, 2);
                }
            }
        }
        final int minutes = 10 + random.nextInt(10);
        final Instant end = start.plusSeconds(60L * minutes);
        for (final Map.Entry<String, Integer> e : affected.entrySet()) {
            final String service = e.getKey();
            final int hop = e.getValue();
            final Instant onset = start.plusSeconds(60L * hop + random.nextInt(40));
            final String alert = hop == 0 ? fault.rootAlert : hop == 1 ? "HighLatencyP95" : "HighErrorRate";
            final String severity = hop == 0 ? "critical" : "warning";
            final String fp = fingerprint(id, service, alert);
            for (Instant t = onset; t.isBefore(end); t = t.plusSeconds(60)) {
                alertmanager(t, "firing", fp, alert, service, severity, onset, null);
                if (hop == 0 || random.nextDouble() < 0.3) {
                    log(t.plusSeconds(5), service, "error", hop == 0 ? fault.rootLog
                            : "request to " + affectedCallee(service, affected) + " failed: status 503");
                }
            }
            alertmanager(end.plusSeconds(30L * hop), "resolved", fp, alert, service, severity, onset,
                    end.plusSeconds(30L * hop));
            if (hop == 0) {
                metric(onset, service, fault);
            }
        }
        if (random.nextBoolean()) {
            pagerduty(start.plusSeconds(240), root, fault);
        }
        final ObjectNode t = JSON.createObjectNode().put("id", id);
        t.putObject("root_cause").put("service", root).put("fault", fault.name);
        final ArrayNode services = t.putArray("affected");
        affected.keySet().stream().filter(s -> !s.equals(root)).forEach(services::add);
        t.put("start", start.toString()).put("end", end.plusSeconds(60).toString());
        truth.add(t);
    }

    private String affectedCallee(final String service, final Map<String, Integer> affected) {
        return dependencies(service).stream().filter(affected::containsKey).findFirst().orElse("upstream");
    }

    private void noise(final Instant start, final Instant end) {
        final long span = end.getEpochSecond() - start.getEpochSecond();
        for (int i = 0; i < 3; i++) {
            final String service = (String) CATALOG[random.nextInt(CATALOG.length)][0];
            final Instant at = start.plusSeconds((long) (random.nextDouble() * span));
            final ObjectNode body = JSON.createObjectNode().put("source", "cron-monitor").put("service", service)
                    .put("name", "BatchJobSlow").put("severity", "info").put("status", "firing")
                    .put("startsAt", at.toString());
            body.putObject("labels").put("job", "nightly-" + i);
            body.putObject("annotations").put("summary", "batch job took longer than usual");
            line(at, "generic", body);
        }
        // One flapping alert on a service the incidents do not need.
        final Instant flapStart = start.plusSeconds(600);
        for (int i = 0; i < 8; i++) {
            final Instant at = flapStart.plusSeconds(120L * i);
            final ObjectNode body = JSON.createObjectNode().put("title", "[" + (i % 2 == 0 ? "Triggered" : "Recovered")
                    + "] notifications queue depth").put("body", "queue depth crossed 1000").put("date",
                    Long.toString(at.toEpochMilli())).put("alert_transition", i % 2 == 0 ? "Triggered" : "Recovered")
                    .put("alert_id", "flap-1").put("priority", "P4").put("tags", "service:notifications,env:prod");
            line(at, "datadog", body);
        }
    }

    private void background(final Instant start, final Instant end) {
        for (Instant t = start; t.isBefore(end); t = t.plusSeconds(300)) {
            final String service = (String) CATALOG[random.nextInt(CATALOG.length)][0];
            log(t, service, "info", "GET /health 200 in " + (2 + random.nextInt(8)) + " ms");
        }
    }

    private void alertmanager(final Instant at, final String status, final String fp, final String alert,
                              final String service, final String severity, final Instant startsAt, final Instant endsAt) {
        final ObjectNode body = JSON.createObjectNode().put("receiver", "aiops").put("status", status)
                .put("version", "4").put("groupKey", "{}:{service=\"" + service + "\"}")
                .put("externalURL", "http://alertmanager:9093").put("truncatedAlerts", 0);
        body.putObject("groupLabels").put("service", service);
        body.putObject("commonLabels").put("service", service);
        body.putObject("commonAnnotations");
        final ObjectNode a = body.putArray("alerts").addObject().put("status", status)
                .put("startsAt", startsAt.toString())
                .put("endsAt", endsAt == null ? "0001-01-01T00:00:00Z" : endsAt.toString())
                .put("generatorURL", "http://prometheus:9090/graph").put("fingerprint", fp);
        a.putObject("labels").put("alertname", alert).put("service", service).put("severity", severity);
        a.putObject("annotations").put("summary", alert + " on " + service);
        line(at, "alertmanager", body);
    }

    private void pagerduty(final Instant at, final String service, final Fault fault) {
        final ObjectNode body = JSON.createObjectNode().put("routing_key", "R0UT1NGKEY0000000000000000000000")
                .put("event_action", "trigger").put("dedup_key", "pd-" + service + "-" + fault.name);
        body.putObject("payload").put("summary", service + " SLO burn rate high").put("timestamp", at.toString())
                .put("severity", "critical").put("source", service + "-pod").put("component", service)
                .put("class", "slo_burn");
        line(at, "pagerduty", body);
    }

    private void log(final Instant at, final String service, final String level, final String message) {
        line(at, "log", JSON.createObjectNode().put("ts", at.toString()).put("service", service).put("level", level)
                .put("message", message));
    }

    private void metric(final Instant onset, final String service, final Fault fault) {
        for (int m = -5; m < 10; m++) {
            final Instant end = onset.plusSeconds(60L * m);
            final double value = m < 0 ? 0.3 + random.nextDouble() * 0.05 : Math.min(1.0, 0.5 + 0.07 * m);
            line(end, "metric", JSON.createObjectNode().put("service", service).put("metric", metricName(fault))
                    .put("start", end.minusSeconds(60).toString()).put("end", end.toString()).put("count", 60)
                    .put("min", value - 0.02).put("max", value).put("mean", value - 0.01).put("unit", "ratio"));
        }
    }

    private static String metricName(final Fault fault) {
        return switch (fault) {
            case DATABASE_SATURATION -> "connections_used_ratio";
            case MEMORY_LEAK -> "memory_used_ratio";
            case DISK_FULL -> "disk_used_ratio";
            default -> "error_ratio";
        };
    }

    private void line(final Instant at, final String kind, final com.fasterxml.jackson.databind.JsonNode body) {
        final ObjectNode line = JSON.createObjectNode().put("at", at.toString()).put("kind", kind);
        line.set("body", body);
        lines.add(line);
    }

    private static String fingerprint(final String incident, final String service, final String alert) {
        return Integer.toHexString((incident + service + alert).hashCode()) + Integer.toHexString(service.hashCode());
    }

    static List<String> services(final Layer layer) {
        final List<String> out = new ArrayList<>();
        for (final Object[] row : CATALOG) {
            if (row[1] == layer) {
                out.add((String) row[0]);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static List<String> dependencies(final String service) {
        for (final Object[] row : CATALOG) {
            if (row[0].equals(service)) {
                return (List<String>) row[3];
            }
        }
        return List.of();
    }

    static Set<String> callers(final String service) {
        final Set<String> out = new LinkedHashSet<>();
        for (final Object[] row : CATALOG) {
            if (dependencies((String) row[0]).contains(service)) {
                out.add((String) row[0]);
            }
        }
        return out;
    }

    static String catalogYaml() {
        final StringBuilder yaml = new StringBuilder("services:\n");
        for (final Object[] row : CATALOG) {
            final String name = (String) row[0];
            yaml.append("  - name: ").append(name).append('\n')
                    .append("    owner: team-").append(name.split("-")[0]).append('\n')
                    .append("    tier: ").append(row[2]).append('\n')
                    .append("    runbook: https://runbooks.example/").append(name).append('\n')
                    .append("    depends_on: [").append(String.join(", ", dependencies(name))).append("]\n")
                    .append("    kubernetes: {namespace: shop, deployment: ").append(name).append("}\n");
        }
        return yaml.toString();
    }
}
