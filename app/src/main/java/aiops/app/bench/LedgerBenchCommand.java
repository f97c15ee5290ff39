package aiops.app.bench;

import aiops.app.cli.ConfigOption;
import aiops.app.runtime.EmbeddedRuntime;
import aiops.avro.LlmUsage;
import aiops.common.config.AiopsConfig;
import aiops.common.http.Metrics;
import aiops.ledger.Ledger;
import aiops.ledger.LedgerSettings;
import aiops.schemas.AvroSerdes;
import aiops.schemas.Topics;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code aiops bench ledger}: pre-loads usage records (90 days, 20 services, 5 models, 10,000 incidents) onto
 * {@code aiops.llm.usage}, measures how fast the ledger writer gets them into PostgreSQL, then times the dashboard
 * queries over the views.
 */
@Command(name = "ledger", mixinStandardHelpOptions = true,
        description = "Ledger write throughput and dashboard query latency on the embedded PostgreSQL.")
public final class LedgerBenchCommand implements Callable<Integer> {

    static final String[] MODELS = {"gpt-4o-mini", "gpt-4o", "gpt-4.1-mini", "claude-3-5-haiku-20241022",
        "claude-sonnet-4-20250514"};
    static final List<String> QUERIES = List.of(
            "SELECT * FROM cost_per_day_by_model WHERE day >= current_date - 30 ORDER BY day",
            "SELECT service, sum(cost_usd) FROM cost_per_day_by_service WHERE day >= current_date - 7 GROUP BY 1 ORDER BY 2 DESC",
            "SELECT team, sum(cost_usd) FROM cost_per_day_by_team WHERE day >= current_date - 30 GROUP BY 1 ORDER BY 2 DESC",
            "SELECT * FROM cost_by_incident ORDER BY cost_usd DESC LIMIT 20",
            "SELECT * FROM budget_burn",
            "SELECT * FROM incident_mttr_daily ORDER BY day DESC LIMIT 30");

    @Mixin
    private ConfigOption config;

    @Option(names = "--rows", defaultValue = "1000000", description = "Usage records to write. Default: ${DEFAULT-VALUE}.")
    private int rows;

    @Option(names = "--json", description = "Print only the JSON result line.")
    private boolean json;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final PrintWriter out = spec.commandLine().getOut();
        final AiopsConfig base = config.load();
        try (EmbeddedRuntime runtime = EmbeddedRuntime.startFresh(base, "bench-ledger")) {
            preload(runtime, rows);
            if (!json) {
                out.printf(Locale.ROOT, "pre-loaded %d usage records%n", rows);
                out.flush();
            }
            final long start = System.nanoTime();
            final double seconds;
            try (Ledger ledger = Ledger.start(runtime.kafka(), runtime.dataSource(),
                    new LedgerSettings("bench-ledger", 5000, java.time.Duration.ofSeconds(30)), Metrics.newRegistry("bench"))) {
                final long deadline = start + java.time.Duration.ofMinutes(15).toNanos();
                while (ledger.writer().recordsCommitted() < rows && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                seconds = (System.nanoTime() - start) / 1e9;
            }
            final long written = count(runtime, "SELECT count(*) FROM llm_usage_ledger");
            final List<Double> latencies = new ArrayList<>();
            try (Connection c = runtime.dataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute("ANALYZE");
                for (int round = 0; round < 20; round++) {
                    for (final String q : QUERIES) {
                        final long t = System.nanoTime();
                        try (ResultSet rs = st.executeQuery(q)) {
                            while (rs.next()) {
                                rs.getObject(1);
                            }
                        }
                        latencies.add((System.nanoTime() - t) / 1e6);
                    }
                }
            }
            latencies.sort(Double::compare);
            final Map<String, Object> result = new LinkedHashMap<>();
            result.put("rows", written);
            result.put("seconds", Math.round(seconds * 100) / 100.0);
            result.put("rows_per_s", Math.round(written / seconds));
            result.put("queries", latencies.size());
            result.put("query_p50_ms", round(latencies.get(latencies.size() / 2)));
            result.put("query_p95_ms", round(latencies.get((int) Math.ceil(latencies.size() * 0.95) - 1)));
            result.put("query_rows", written);
            result.put("cores", Runtime.getRuntime().availableProcessors());
            out.println(new ObjectMapper().writeValueAsString(result));
            out.flush();
            return written == rows ? 0 : 1;
        }
    }

    private static double round(final double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static long count(final EmbeddedRuntime runtime, final String sql) throws Exception {
        try (Connection c = runtime.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void preload(final EmbeddedRuntime runtime, final int rows) throws Exception {
        final Random random = new Random(11);
        final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (Serde<LlmUsage> serde = AvroSerdes.valueSerde(Topics.LLM_USAGE, runtime.kafka().registryConfig());
             KafkaProducer<String, LlmUsage> producer = new KafkaProducer<>(runtime.kafka().producerProps("bench-load"),
                     new StringSerializer(), serde.serializer())) {
            for (int i = 0; i < rows; i++) {
                final String model = MODELS[random.nextInt(MODELS.length)];
                final int service = random.nextInt(20);
                final LlmUsage u = LlmUsage.newBuilder().setUsageId("bench-" + i)
                        .setOccurredAt(now.minusSeconds(random.nextInt(90 * 86_400)))
                        .setIncidentId("inc-" + random.nextInt(10_000)).setAnalysisId("an-" + i)
                        .setService("service-" + service).setTeam("team-" + service % 7)
                        .setProvider(model.startsWith("claude") ? "anthropic" : "openai").setModel(model)
                        .setPurpose("analysis").setInputTokens(500 + random.nextInt(3000))
                        .setOutputTokens(50 + random.nextInt(800)).setLatencyMs(300 + random.nextInt(3000))
                        .setOutcome("ok").build();
                producer.send(new ProducerRecord<>(Topics.LLM_USAGE.name(), u.getUsageId(), u));
            }
            producer.flush();
        }
    }
}
