package aiops.app.cli;

import aiops.analyzer.Analyzer;
import aiops.analyzer.AnalyzerConfig;
import aiops.analyzer.llm.LlmSettings;
import aiops.app.runtime.AnalysisReader;
import aiops.app.replay.DemoCapacity;
import aiops.assistant.AssistantService;
import aiops.assistant.AssistantSettings;
import aiops.assistant.chat.AssistantAnswer;
import aiops.common.auth.Principal;
import aiops.common.auth.Role;
import aiops.app.replay.DemoReplay;
import aiops.forecast.ForecastSettings;
import aiops.forecast.Forecaster;
import aiops.ingest.streams.IncidentTopology;
import aiops.ledger.Ledger;
import aiops.ledger.LedgerSettings;
import aiops.app.runtime.EmbeddedRuntime;
import aiops.app.runtime.IncidentReader;
import aiops.app.runtime.PipelineCounts;
import aiops.app.runtime.Quiescence;
import aiops.app.runtime.ScenarioFeeder;
import aiops.avro.Analysis;
import aiops.avro.Incident;
import aiops.avro.ServiceEntry;
import aiops.common.http.Metrics;
import aiops.app.runtime.RemediatorProgress;
import aiops.remediator.Remediator;
import aiops.remediator.RemediatorSettings;
import aiops.remediator.store.ActionStore;
import aiops.remediator.store.RemediationAction;
import aiops.ingest.streams.CatalogLoader;
import aiops.ingest.streams.StreamsConfigKeys;
import aiops.ingest.streams.StreamsService;
import aiops.schemas.Topics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import aiops.common.config.AiopsConfig;
import aiops.ingest.scenario.Scenario;
import aiops.ingest.scenario.ScenarioReader;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code aiops demo}: starts the whole pipeline in this JVM on fresh data, feeds the built-in alert storm, prints
 * what came out, and ends with one JSON line of counts read back from the topics and tables.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole pipeline in one JVM on the built-in alert storm and print what it made. "
                + "Data goes to $AIOPS_HOME/demo and is wiped at each run.")
public final class DemoCommand implements Callable<Integer> {

    static final String STORM = "scenarios/storm/signals.ndjson";
    static final String STORM_CATALOG = "scenarios/storm/catalog.yaml";
    static final String STREAMS_APP = "aiops-demo-streams";

    @Mixin
    private ConfigOption config;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final PrintWriter out = spec.commandLine().getOut();
        final AiopsConfig base = config.load();
        base.require(AnalyzerConfig.ALL);
        final LlmSettings llm = LlmSettings.from(base);
        final List<Scenario.Signal> storm = readStorm();

        final Instant begin = Instant.now();
        try (EmbeddedRuntime runtime = EmbeddedRuntime.startFresh(base, "demo")) {
            out.printf(Locale.ROOT, "aiops demo: pipeline up in %.1f s%n", Duration.between(begin, Instant.now()).toMillis() / 1000.0);
            out.println("  kafka     " + runtime.kafka().bootstrapServers() + " (KRaft, single node)");
            out.println("  postgres  " + runtime.stack().postgres().jdbcUrl());
            out.println("  registry  " + runtime.kafka().registryUrl());
            out.println("  topics    " + runtime.topics().total() + " (" + runtime.topics().created().size() + " created)");

            final List<ServiceEntry> catalog = readCatalog();
            CatalogLoader.publish(runtime.kafka(), catalog);
            out.println("  catalog   " + catalog.size() + " services (" + STORM_CATALOG + ")");
            final PrometheusMeterRegistry metrics = Metrics.newRegistry("aiops-demo");
            final StreamsService streams = StreamsService.start(runtime.kafka(), STREAMS_APP,
                    runtime.home().resolve("streams"), StreamsConfigKeys.defaults(), metrics);
            out.println("  streams   " + STREAMS_APP + " running (exactly_once_v2)");
            final Analyzer analyzer = Analyzer.start(runtime.kafka(), AnalyzerConfig.Worker.from(base)
                    .withInstanceId("demo").withDebounce(Duration.ofSeconds(1)), llm, metrics);
            out.println("  analyzer  " + analyzer.analyst() + (llm.enabled() ? "" : " (no LLM configured)"));
            final Ledger ledger = Ledger.start(runtime.kafka(), runtime.dataSource(), LedgerSettings.defaults(), metrics);
            out.println("  ledger    writing aiops.llm.usage to PostgreSQL (offsets in the same transactions)");
            final Forecaster forecaster = Forecaster.start(runtime.kafka(), runtime.dataSource(),
                    ForecastSettings.defaults(), metrics);
            out.println("  forecaster hourly history in PostgreSQL, forecasts to aiops.forecasts");
            final Remediator remediator = Remediator.start(runtime.kafka(), runtime.dataSource(),
                    RemediatorSettings.defaults("demo"));
            out.println("  remediator policy: dry-run for every action; notifications to the log channel");
            final AssistantService assistant = AssistantService.start(runtime.kafka(), runtime.dataSource(),
                    AssistantSettings.defaults(), llm, metrics, aiops.app.runtime.BuildInfo.version(), true);
            out.println("  assistant MCP tools and POST /api/v1/assistant/query, " + assistant.assistant().mode());

            final ScenarioFeeder.Fed fed = ScenarioFeeder.feed(runtime.kafka(), storm, null);
            final int acknowledged = fed.acknowledged();
            final Map<String, Integer> byKind = fed.byKind();
            final Map<String, Integer> alertsByService = new TreeMap<>();
            fed.alerts().forEach(a -> alertsByService.merge(a.getService() == null ? "(none)" : a.getService(), 1,
                    Integer::sum));
            out.printf(Locale.ROOT, "%nfed the alert storm: %d signals, %d records acknowledged by Kafka%n",
                    storm.size(), acknowledged);
            byKind.forEach((k, n) -> out.printf(Locale.ROOT, "  %-13s %4d%n", k, n));
            out.println("alerts by service:");
            alertsByService.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
                    .forEach(e -> out.printf(Locale.ROOT, "  %-13s %4d%n", e.getKey(), e.getValue()));

            final boolean caughtUp = Quiescence.awaitCaughtUp(runtime.kafka(), STREAMS_APP,
                    IncidentTopology.alertInputs(STREAMS_APP), Duration.ofSeconds(60));
            PipelineCounts.awaitStable(runtime, StreamsConfigKeys.defaults().idleFlush());
            final Map<String, Incident> incidents = IncidentReader.latest(runtime.kafka());
            final Map<String, Analysis> analyses = AnalysisReader.awaitAnalysed(runtime.kafka(), incidents,
                    Duration.ofSeconds(120));
            final long billed = billedCalls(runtime);
            final boolean ledgerCaughtUp = awaitLedger(runtime, billed);
            // The latest analysis of each incident is judged last (one incident, one partition, in order).
            final boolean remediated = RemediatorProgress.awaitSettled(runtime, analyses.values(),
                    Duration.ofSeconds(60));
            final Map<String, List<RemediationAction>> plans = plans(runtime);
            final Map<String, List<String>> notices = notices(runtime);
            final PipelineCounts counts = PipelineCounts.read(runtime);
            // The storm once more as a replay run: same incidents, every action dry-run, kept out of the counts above.
            final DemoReplay.Outcome replay = DemoReplay.run(runtime.kafka(), storm, incidents.values(), "demo-replay",
                    StreamsConfigKeys.defaults().idleFlush().plusSeconds(2));
            // Five weeks of metric history as another run: forecasts, exhaustion alerts, replica targets (dry-run).
            final DemoCapacity.Outcome capacity = DemoCapacity.run(runtime.kafka(), runtime.home().resolve("capacity"),
                    "demo-capacity", StreamsConfigKeys.defaults().idleFlush().plusSeconds(2), Duration.ofSeconds(120));
            final AssistantAnswer answer = askAssistant(runtime, assistant, analyses.size());
            // The runs' LLM calls are billed like any: the ledger must hold every one of them too.
            final boolean ledgerHoldsAll = awaitLedger(runtime, billedCalls(runtime));
            final PipelineCounts billing = PipelineCounts.read(runtime);
            assistant.close();
            remediator.close();
            forecaster.close();
            ledger.close();
            analyzer.close();
            streams.close();
            metrics.close();
            printIncidents(out, incidents, analyses, plans, notices);
            out.printf(Locale.ROOT, "%nread back: %d alerts, %d log records, %d metric windows on the raw topics; "
                            + "%d incidents, %d analyses, %d ledger rows, %d remediations, %d notifications, %d in the DLQ%n",
                    counts.alertsIn(), counts.logs(), counts.metricWindows(), counts.incidents(), counts.analyses(),
                    counts.ledgerRows(), counts.remediations(), counts.notifications(), counts.dlq());
            out.printf(Locale.ROOT, "replayed the storm as run %s: %d incidents, %s live; %d remediation verdicts, %s%n",
                    replay.runId(), replay.incidents(), replay.sameAsLive() ? "the same as" : "NOT the same as",
                    replay.actions(), replay.allDryRun() ? "none executed (replays are dry-run)" : "SOME EXECUTED");
            printCapacity(out, capacity);
            out.printf(Locale.ROOT, "%nassistant, asked \"%s\" (%s):%n%s%n  citations: %s%n", QUESTION,
                    answer.answeredBy(), answer.answer().indent(2).stripTrailing(), answer.citations().stream()
                            .map(c -> c.type() + ":" + c.id()).toList());
            final boolean ok = counts.signals() == acknowledged && counts.topics() >= 11 && caughtUp
                    && analyses.keySet().containsAll(incidents.keySet()) && ledgerCaughtUp && remediated
                    && replay.sameAsLive() && replay.allDryRun() && ledgerHoldsAll && capacity.complete() && !answer.answer().isBlank();
            out.println(summaryJson(ok, runtime, counts, billing, replay, capacity, answer));
            out.flush();
            return ok ? 0 : AiopsCommand.EXIT_FAILURE;
        }
    }

    private static String summaryJson(final boolean ok, final EmbeddedRuntime runtime, final PipelineCounts counts,
                                      final PipelineCounts billing, final DemoReplay.Outcome replay,
                                      final DemoCapacity.Outcome capacity, final AssistantAnswer answer)
            throws IOException {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("ok", ok);
        json.put("kafka", runtime.kafka().bootstrapServers());
        json.put("postgres", runtime.stack().postgres().jdbcUrl());
        json.put("topics", counts.topics());
        json.put("signals", counts.signals());
        json.put("alerts_in", counts.alertsIn());
        json.put("incidents", counts.incidents());
        json.put("analyses", counts.analyses());
        json.put("llm_calls", billing.llmCalls());
        json.put("ledger_rows", billing.ledgerRows());
        json.put("remediations", counts.remediations());
        json.put("notifications", counts.notifications());
        json.put("replay_incidents", replay.incidents());
        json.put("replay_same_as_live", replay.sameAsLive());
        json.put("forecast_series", capacity.forecasts().size());
        json.put("forecasts_beating_baseline", capacity.beatBaseline());
        json.put("predicted_exhaustion", capacity.exhaustion().size());
        json.put("capacity_proposals", capacity.servicesProposed());
        json.put("capacity_incidents", capacity.incidents());
        json.put("assistant_answered_by", answer.answeredBy());
        json.put("assistant_citations", answer.citations().size());
        return new ObjectMapper().writeValueAsString(json);
    }

    static final String QUESTION = "Which incidents are open and what is their likely root cause?";

    /** One question to the assistant once its index holds every analysed incident. */
    private static AssistantAnswer askAssistant(final EmbeddedRuntime runtime, final AssistantService assistant,
                                                final int analysed) throws Exception {
        final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try (java.sql.Connection c = runtime.dataSource().getConnection();
                 java.sql.Statement st = c.createStatement();
                 java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM assistant_analyses"
                         + " WHERE replay_run IS NULL")) {
                rs.next();
                if (rs.getLong(1) >= analysed) {
                    break;
                }
            }
            Thread.sleep(200);
        }
        return assistant.assistant().ask(new Principal("demo", "demo", Role.USER, null), null, QUESTION, null);
    }

    private static void printCapacity(final PrintWriter out, final DemoCapacity.Outcome c) {
        out.printf(Locale.ROOT, "%ncapacity forecasts from 35 days of hourly history (run %s, fed in %.1f s, forecast "
                + "up to its last hour %.1f s later): %d of %d series, %d beat the seasonal-naive baseline in their "
                + "backtest%n", c.runId(), c.fed().toMillis() / 1000.0, c.forecast().toMillis() / 1000.0,
                c.forecasts().size(), c.series(), c.beatBaseline());
        c.forecasts().forEach((key, f) -> out.printf(Locale.ROOT, "  %-36s %-24s sMAPE %.3f vs %.3f%s%s%n", key,
                f.getMethod(), f.getBacktestSmape() == null ? Double.NaN : f.getBacktestSmape(),
                f.getBaselineSmape() == null ? Double.NaN : f.getBaselineSmape(),
                f.getRecommendation() == null ? "" : "  replicas " + f.getRecommendation().getTarget(),
                f.getExhaustion() == null || f.getExhaustion().getEta() == null ? ""
                        : "  reaches " + f.getExhaustion().getLimit() + " at " + f.getExhaustion().getEta()));
        c.exhaustion().forEach(a -> out.println("  PredictedExhaustion: " + a.getSummary()));
        out.printf(Locale.ROOT, "  the run's alerts formed %d incident(s), correlated and analysed like any%n",
                c.incidents());
        final Map<String, aiops.avro.RemediationEvent> lastPerService = new TreeMap<>();
        c.proposals().forEach(e -> lastPerService.put(e.getIncidentId(), e));
        out.printf(Locale.ROOT, "  %d replica targets judged as the history streamed in; the last per service:%n",
                c.proposals().size());
        lastPerService.values().forEach(e -> out.printf(Locale.ROOT, "    %s %s: %s%n", e.getActionId(),
                e.getState().name().toLowerCase(Locale.ROOT), e.getReason()));
    }

    /** Usage records on the topic (read_committed): the rows the ledger must end up with. */
    private static long billedCalls(final EmbeddedRuntime runtime) {
        return aiops.app.runtime.TopicReader.values(runtime.kafka(), Topics.LLM_USAGE).stream()
                .map(aiops.avro.LlmUsage::getUsageId).distinct().count();
    }

    private static boolean awaitLedger(final EmbeddedRuntime runtime, final long rows) throws Exception {
        final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (PipelineCounts.read(runtime).ledgerRows() == rows) {
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }

    static List<Scenario.Signal> readStorm() throws IOException {
        try (InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream(STORM)) {
            if (in == null) {
                throw new IllegalStateException(STORM + " is missing from the aiops jar");
            }
            return new ScenarioReader().parse(in, STORM);
        }
    }

    static List<ServiceEntry> readCatalog() throws IOException {
        try (InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream(STORM_CATALOG)) {
            if (in == null) {
                throw new IllegalStateException(STORM_CATALOG + " is missing from the aiops jar");
            }
            return CatalogLoader.parse(in, STORM_CATALOG);
        }
    }

    /** Every action the remediator recorded, per incident, oldest first. */
    private static Map<String, List<RemediationAction>> plans(final EmbeddedRuntime runtime) throws Exception {
        final Map<String, List<RemediationAction>> out = new TreeMap<>();
        try (java.sql.Connection c = runtime.dataSource().getConnection()) {
            for (final RemediationAction a : ActionStore.list(c, null, null, 1000)) {
                out.computeIfAbsent(a.incidentId(), k -> new java.util.ArrayList<>()).add(0, a);
            }
        }
        return out;
    }

    /** Per incident, each delivery as {@code kind -> channel: state}, from the remediator's table. */
    private static Map<String, List<String>> notices(final EmbeddedRuntime runtime) throws java.sql.SQLException {
        final Map<String, List<String>> out = new TreeMap<>();
        try (java.sql.Connection c = runtime.dataSource().getConnection();
             java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT incident_id, kind, channel, lower(state)"
                     + " FROM notification_deliveries WHERE incident_id IS NOT NULL ORDER BY created_at, kind")) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getString(1), k -> new java.util.ArrayList<>())
                        .add(rs.getString(2) + " -> " + rs.getString(3) + ": " + rs.getString(4));
            }
        }
        return out;
    }

    private static void printIncidents(final PrintWriter out, final Map<String, Incident> latest,
                                       final Map<String, Analysis> analyses,
                                       final Map<String, List<RemediationAction>> plans,
                                       final Map<String, List<String>> notices) {
        out.printf(Locale.ROOT, "%nincidents (%d):%n", latest.size());
        latest.values().stream().sorted(Comparator.comparing(Incident::getOpenedAt)).forEach(i -> {
            out.printf(Locale.ROOT, "  %s  v%-2d %-8s %-8s %3d alerts %2d anomalies  %s%n      services: %s%n",
                    i.getIncidentId(), i.getVersion(), i.getState(), i.getSeverity(), i.getAlerts().size(),
                    i.getAnomalies().size(), i.getTitle(), String.join(" -> ", i.getServices()));
            final Analysis a = analyses.get(i.getIncidentId());
            if (a == null) {
                out.println("      analysis: none yet");
                return;
            }
            out.printf(Locale.ROOT, "      analysis (%s%s, v%d): %s%n", a.getAnalyst(),
                    a.getDegraded() ? ", degraded: " + a.getDegradedReason() : "", a.getIncidentVersion(), a.getSummary());
            a.getHypotheses().forEach(h -> out.printf(Locale.ROOT, "        %d. %-14s %-28s %.2f  cites %s%n",
                    h.getRank(), h.getService(), h.getFault(), h.getConfidence(), h.getEvidenceIds()));
            a.getActions().forEach(x -> out.printf(Locale.ROOT, "        proposes %s on %s %s: %s%n",
                    x.getActionType(), x.getService(), x.getParameters(), x.getRationale()));
            final List<RemediationAction> plan = plans.getOrDefault(i.getIncidentId(), List.of());
            out.printf(Locale.ROOT, "      remediation plan (%d):%n", plan.size());
            plan.forEach(r -> out.printf(Locale.ROOT, "        %s  %-8s %s: %s%n", r.actionId(),
                    r.state().name().toLowerCase(Locale.ROOT), r.describe(), r.reason()));
            final List<String> sent = notices.getOrDefault(i.getIncidentId(), List.of());
            out.printf(Locale.ROOT, "      notifications (%d): %s%n", sent.size(), String.join(", ", sent));
        });
    }
}
