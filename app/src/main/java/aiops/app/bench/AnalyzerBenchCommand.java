package aiops.app.bench;

import aiops.analyzer.Analyzer;
import aiops.analyzer.AnalyzerConfig;
import aiops.analyzer.context.CatalogGraph;
import aiops.analyzer.context.ContextBuilder;
import aiops.analyzer.context.PromptRenderer;
import aiops.analyzer.llm.LlmSettings;
import aiops.analyzer.llm.ModelSpec;
import aiops.app.cli.ConfigOption;
import aiops.app.runtime.EmbeddedRuntime;
import aiops.app.runtime.TopicReader;
import aiops.avro.AlertStatus;
import aiops.avro.Anomaly;
import aiops.avro.Incident;
import aiops.avro.IncidentAlert;
import aiops.avro.IncidentState;
import aiops.avro.LlmUsage;
import aiops.avro.ServiceEntry;
import aiops.avro.Severity;
import aiops.common.config.AiopsConfig;
import aiops.common.http.Metrics;
import aiops.embedded.llm.FakeLlmServer;
import aiops.ingest.streams.CatalogLoader;
import aiops.schemas.AvroSerdes;
import aiops.schemas.Topics;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
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
 * {@code aiops bench analyzer}: pre-loads distinct storm incidents (2 to 5 services of the storm catalogue, each alert
 * notified 10 to 60 times, a few metric anomalies) and lets the real analyzer work them off against a fake
 * OpenAI-compatible provider that takes {@code --llm-latency-ms} per answer. Prompt tokens are what the provider
 * counted; naive tokens are the same incident sent as raw notifications.
 */
@Command(name = "analyzer", mixinStandardHelpOptions = true,
        description = "Analyzer throughput and prompt size against a fake LLM with a fixed latency.")
public final class AnalyzerBenchCommand implements Callable<Integer> {

    private static final String[][] CASCADE = {
        {"payments-db", "PostgresConnectionsSaturated"}, {"payments", "HighLatencyP95"}, {"checkout", "HighErrorRate"},
        {"frontend", "Frontend5xx"}, {"cart", "CartTimeouts"}};

    @Mixin
    private ConfigOption config;

    @Option(names = "--incidents", defaultValue = "3000", description = "Incidents to analyse. Default: ${DEFAULT-VALUE}.")
    private int count;

    @Option(names = "--llm-latency-ms", defaultValue = "2000", description = "Fake LLM answer time. Default: ${DEFAULT-VALUE}.")
    private int latencyMs;

    @Option(names = "--concurrency", defaultValue = "256",
            description = "Analyses in flight (analyzer.max.in.flight). Default: ${DEFAULT-VALUE}.")
    private int concurrency;

    @Option(names = "--json", description = "Print only the JSON result line.")
    private boolean json;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final PrintWriter out = spec.commandLine().getOut();
        final AiopsConfig base = config.load();
        try (EmbeddedRuntime runtime = EmbeddedRuntime.startFresh(base, "bench-analyzer");
             FakeLlmServer fake = FakeLlmServer.start("bench-key").latency(Duration.ofMillis(latencyMs))) {
            final List<ServiceEntry> catalog;
            try (InputStream in = getClass().getClassLoader().getResourceAsStream("scenarios/storm/catalog.yaml")) {
                catalog = CatalogLoader.parse(in, "storm catalog");
            }
            CatalogLoader.publish(runtime.kafka(), catalog);
            final List<Incident> incidents = incidents(count);
            preload(runtime, incidents);
            final CatalogGraph graph = new CatalogGraph(catalog.stream()
                    .collect(Collectors.toMap(ServiceEntry::getName, Function.identity())));
            final long naiveTokens = incidents.stream().mapToLong(i -> PromptRenderer.Prompt.tokens(
                    PromptRenderer.render(ContextBuilder.build(i, graph, List.of())).naiveChars())).sum();
            if (!json) {
                out.printf(Locale.ROOT, "pre-loaded %d incidents; fake LLM answers in %d ms; %d in flight%n", count,
                        latencyMs, concurrency);
                out.flush();
            }
            final LlmSettings llm = new LlmSettings(List.of(new ModelSpec("openai", "bench-model", fake.baseUrl(),
                    "bench-key")), List.of(), Duration.ofSeconds(30), 0, 0.0, 1024, true, Duration.ofHours(1), false,
                    Map.of(), Duration.ofMillis(500));
            final AnalyzerConfig.Worker worker = AnalyzerConfig.Worker.from(base).withInstanceId("bench")
                    .withDebounce(Duration.ZERO).withMaxInFlight(concurrency);
            final double seconds;
            final boolean complete;
            try (Analyzer analyzer = Analyzer.start(runtime.kafka(), worker, llm, Metrics.newRegistry("bench"))) {
                final long start = System.nanoTime();
                final long deadline = start + Duration.ofMinutes(10).toNanos();
                while (analyzer.service().analysesCommitted() < count && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                seconds = (System.nanoTime() - start) / 1e9;
                complete = analyzer.service().analysesCommitted() >= count;
            }
            final List<LlmUsage> usage = TopicReader.values(runtime.kafka(), Topics.LLM_USAGE);
            final long calls = usage.stream().filter(u -> !u.getCached()).count();
            final long promptTokens = usage.stream().mapToLong(u -> u.getInputTokens() + u.getCachedInputTokens()).sum();
            final Map<String, Object> result = new LinkedHashMap<>();
            result.put("incidents", count);
            result.put("seconds", Math.round(seconds * 100) / 100.0);
            result.put("llm_latency_ms", latencyMs);
            result.put("max_in_flight", concurrency);
            result.put("complete", complete);
            result.put("cores", Runtime.getRuntime().availableProcessors());
            result.put("incidents_per_s", Math.round(10.0 * count / seconds) / 10.0);
            result.put("llm_calls_per_incident", Math.round(100.0 * calls / count) / 100.0);
            result.put("prompt_tokens_per_incident", promptTokens / count);
            result.put("naive_prompt_tokens_per_incident", naiveTokens / count);
            result.put("token_reduction", promptTokens == 0 ? 0 : Math.round(10.0 * naiveTokens / promptTokens) / 10.0);
            out.println(new ObjectMapper().writeValueAsString(result));
            out.flush();
            return complete ? 0 : 1;
        }
    }

    static List<Incident> incidents(final int count) {
        final Random random = new Random(42);
        final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        final List<Incident> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final Instant opened = t0.plus(Duration.ofMinutes(30L * i));
            final int size = 2 + random.nextInt(CASCADE.length - 1);
            final List<String> services = new ArrayList<>();
            final List<IncidentAlert> alerts = new ArrayList<>();
            final List<Anomaly> anomalies = new ArrayList<>();
            for (int s = 0; s < size; s++) {
                services.add(CASCADE[s][0]);
                final Instant first = opened.plusSeconds(40L * s + random.nextInt(30));
                final int notifications = 10 + random.nextInt(51);
                alerts.add(IncidentAlert.newBuilder().setFingerprint("bench-" + i + "-" + s).setName(CASCADE[s][1])
                        .setService(CASCADE[s][0]).setSeverity(s == 0 ? Severity.CRITICAL : Severity.WARNING)
                        .setStatus(AlertStatus.FIRING).setFirstSeen(first)
                        .setLastSeen(first.plusSeconds(60L * notifications)).setCount(notifications).build());
                if (random.nextInt(3) == 0) {
                    anomalies.add(Anomaly.newBuilder().setAnomalyId("metric:" + CASCADE[s][0] + "/latency@" + i)
                            .setKind("metric_spike").setService(CASCADE[s][0]).setDetectedAt(first)
                            .setScore(4 + random.nextInt(8)).setSummary(String.format(Locale.ROOT,
                                    "%s p95_latency_ms = %d against baseline 120 (%.1f sigma)", CASCADE[s][0],
                                    400 + random.nextInt(2000), 4.0 + random.nextInt(8)))
                            .setAttributes(Map.of("metric", "p95_latency_ms")).build());
                }
            }
            out.add(Incident.newBuilder().setIncidentId(String.format(Locale.ROOT, "bench-%05d", i)).setVersion(1)
                    .setState(IncidentState.OPEN).setChangeReason("opened").setTitle(CASCADE[0][1] + " on " + services.get(0))
                    .setSeverity(Severity.CRITICAL).setServices(services).setAlerts(alerts).setAnomalies(anomalies)
                    .setOpenedAt(opened).setUpdatedAt(opened.plusSeconds(600)).setSignalCount(alerts.size()).build());
        }
        return out;
    }

    private static void preload(final EmbeddedRuntime runtime, final List<Incident> incidents) throws Exception {
        try (Serde<Incident> serde = AvroSerdes.valueSerde(Topics.INCIDENTS, runtime.kafka().registryConfig());
             KafkaProducer<String, Incident> producer = new KafkaProducer<>(runtime.kafka().producerProps("bench-load"),
                     new StringSerializer(), serde.serializer())) {
            for (final Incident i : incidents) {
                producer.send(new ProducerRecord<>(Topics.INCIDENTS.name(), i.getIncidentId(), i));
            }
            producer.flush();
        }
    }
}
