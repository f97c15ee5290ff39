package aiops.app.eval;

import aiops.app.cli.ConfigOption;
import aiops.app.runtime.EmbeddedRuntime;
import aiops.analyzer.Analyzer;
import aiops.analyzer.AnalyzerConfig;
import aiops.analyzer.llm.LlmSettings;
import aiops.app.runtime.AnalysisReader;
import aiops.app.runtime.IncidentReader;
import aiops.app.runtime.TopicReader;
import aiops.avro.Analysis;
import io.micrometer.core.instrument.MeterRegistry;
import aiops.app.runtime.PipelineCounts;
import aiops.app.runtime.Quiescence;
import aiops.app.runtime.ScenarioFeeder;
import aiops.avro.Incident;
import aiops.common.config.AiopsConfig;
import aiops.common.http.Metrics;
import aiops.ingest.scenario.Scenario;
import aiops.ingest.scenario.ScenarioReader;
import aiops.ingest.streams.CatalogLoader;
import aiops.ingest.streams.IncidentTopology;
import aiops.ingest.streams.StreamsConfigKeys;
import aiops.ingest.streams.StreamsService;
import aiops.schemas.Topics;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aiops eval <folder>}: runs the scenarios through a fresh embedded pipeline (one per distinct catalogue, each
 * scenario its own replay run) and scores the incidents against its truth.json: incidents formed and matched, and whether the analyzer named the true root cause first (top1) or
 * among its first three hypotheses (top3).
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Score the pipeline on scenario folders with truth.json; last line is one JSON object.",
        subcommands = EvalForecastCommand.class)
public final class EvalCommand implements Callable<Integer> {

    private static final String APP = "aiops-eval-streams";

    @Parameters(paramLabel = "FOLDER", arity = "0..1",
            description = "A scenario folder or a folder of scenario folders (required unless a command is given).")
    private Path folder;

    @Option(names = "--json", description = "Print only the JSON line.")
    private boolean json;

    @Option(names = "--model", paramLabel = "PROVIDER:MODEL",
            description = "Analyse with this configured LLM (see llm.models) instead of the configuration's choice.")
    private String model;

    @Option(names = "--debounce-ms", defaultValue = "1000",
            description = "Analyzer debounce for the run (default ${DEFAULT-VALUE}).")
    private int debounceMs;

    @Mixin
    private ConfigOption config;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (folder == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required parameter: 'FOLDER'");
        }
        final PrintWriter out = spec.commandLine().getOut();
        AiopsConfig base = config.load().with(AnalyzerConfig.DEBOUNCE_MS, Integer.toString(debounceMs));
        if (model != null) {
            base = base.with(AnalyzerConfig.LLM_MODELS, model);
        }
        base.require(AnalyzerConfig.ALL);
        final LlmSettings llm = LlmSettings.from(base);
        final AnalyzerConfig.Worker worker = AnalyzerConfig.Worker.from(base).withInstanceId("eval");
        final Score score = new Score();
        final List<Scenario> scenarios = new ScenarioReader().readAll(folder);
        final Totals totals = new Totals();
        for (final List<Scenario> group : byCatalog(scenarios).values()) {
            evaluate(group, base, worker, llm, score, totals, out);
        }
        final Map<String, Object> result = new LinkedHashMap<>();
        result.put("scenarios", scenarios.size());
        final long expected = totals.expected;
        final long formed = totals.formed;
        result.put("signals", totals.signals);
        result.put("alerts_in", totals.alertsIn);
        result.put("incidents_expected", expected);
        result.put("incidents_formed", formed);
        result.put("incidents_matched", totals.matched);
        result.put("top1", expected == 0 ? 0.0 : Math.round(1000.0 * score.top1 / expected) / 1000.0);
        result.put("top3", expected == 0 ? 0.0 : Math.round(1000.0 * score.top3 / expected) / 1000.0);
        result.put("noise_reduction", formed == 0 ? 0.0 : Math.round(100.0 * totals.alertsIn / formed) / 100.0);
        result.put("llm_calls", score.llmCalls);
        result.put("prompt_tokens", score.promptTokens);
        result.put("completion_tokens", score.completionTokens);
        result.put("cost_usd", score.costUsd.doubleValue());
        result.put("analyst", score.analyst);
        out.println(new ObjectMapper().writeValueAsString(result));
        out.flush();
        return 0;
    }

    private static final class Totals {
        long signals;
        long alertsIn;
        long expected;
        long formed;
        long matched;
    }

    /** Scenarios that share a catalogue can share a pipeline: each is fed as its own replay run, which never mixes. */
    private static Map<String, List<Scenario>> byCatalog(final List<Scenario> scenarios) throws java.io.IOException {
        final Map<String, List<Scenario>> groups = new LinkedHashMap<>();
        for (final Scenario s : scenarios) {
            final String key = s.catalog().isEmpty() ? "" : Files.readString(s.catalog().get());
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
        }
        return groups;
    }

    private void evaluate(final List<Scenario> group, final AiopsConfig base, final AnalyzerConfig.Worker worker,
                          final LlmSettings llm, final Score score, final Totals totals, final PrintWriter out)
            throws Exception {
        try (EmbeddedRuntime runtime = EmbeddedRuntime.startFresh(base, "eval")) {
            final Optional<Path> catalog = group.get(0).catalog();
            if (catalog.isPresent()) {
                try (InputStream in = Files.newInputStream(catalog.get())) {
                    CatalogLoader.publish(runtime.kafka(), CatalogLoader.parse(in, catalog.get().toString()));
                }
            }
            final Map<String, ScenarioFeeder.Fed> fed = new LinkedHashMap<>();
            final Map<String, Incident> latest;
            final Map<String, Analysis> analyses;
            final MeterRegistry metrics = Metrics.newRegistry("eval");
            try (StreamsService streams = StreamsService.start(runtime.kafka(), APP, runtime.home().resolve("streams"),
                    StreamsConfigKeys.from(base), metrics);
                 Analyzer analyzer = Analyzer.start(runtime.kafka(), worker, llm, metrics)) {
                score.analyst = analyzer.analyst();
                for (final Scenario scenario : group) {
                    fed.put(scenario.name(), ScenarioFeeder.feed(runtime.kafka(), scenario.signals(), runId(scenario)));
                }
                Quiescence.awaitCaughtUp(runtime.kafka(), APP,
                        IncidentTopology.alertInputs(APP), Duration.ofMinutes(5));
                PipelineCounts.awaitStable(runtime, StreamsConfigKeys.defaults().idleFlush());
                latest = IncidentReader.latest(runtime.kafka());
                analyses = AnalysisReader.awaitAnalysed(runtime.kafka(), latest, Duration.ofMinutes(5));
            }
            score.usage(TopicReader.values(runtime.kafka(), Topics.LLM_USAGE));
            for (final Scenario scenario : group) {
                final List<Incident> incidents = latest.values().stream()
                        .filter(i -> runId(scenario).equals(i.getReplayRunId())).toList();
                final List<Truth.Expected> truth = scenario.truth().isPresent()
                        ? Truth.read(scenario.truth().get()).incidents() : List.of();
                final Map<String, String> pairs = IncidentMatcher.match(truth, incidents);
                score.rootCauses(truth, pairs, analyses);
                final ScenarioFeeder.Fed f = fed.get(scenario.name());
                totals.signals += f.signals();
                totals.alertsIn += f.alerts().size();
                totals.expected += truth.size();
                totals.formed += incidents.size();
                totals.matched += pairs.size();
                if (!json) {
                    print(out, scenario, f, incidents, truth, pairs, analyses);
                }
            }
        }
    }

    private static String runId(final Scenario scenario) {
        return "eval-" + scenario.name();
    }

    private static void print(final PrintWriter out, final Scenario scenario, final ScenarioFeeder.Fed fed,
                              final List<Incident> incidents, final List<Truth.Expected> truth,
                              final Map<String, String> pairs, final Map<String, Analysis> analyses) {
        out.printf(Locale.ROOT, "%-24s signals %5d  alerts %5d  incidents %3d  expected %3d  matched %3d%n",
                scenario.name(), fed.signals(), fed.alerts().size(), incidents.size(), truth.size(), pairs.size());
        incidents.stream().sorted(Comparator.comparing(Incident::getOpenedAt)).forEach(i -> out.printf(
                Locale.ROOT, "    %s %-8s %s%n      root cause: %s%n", i.getIncidentId(), i.getState(),
                i.getServices(), Score.ranking(analyses.get(i.getIncidentId()))));
        out.flush();
    }
}
