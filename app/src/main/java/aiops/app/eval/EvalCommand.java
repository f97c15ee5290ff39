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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aiops eval <folder>}: runs each scenario through a fresh embedded pipeline and scores the incidents against
 * its truth.json: incidents formed and matched, and whether the analyzer named the true root cause first (top1) or
 * among its first three hypotheses (top3).
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Score the pipeline on scenario folders with truth.json; last line is one JSON object.")
public final class EvalCommand implements Callable<Integer> {

    private static final String APP = "aiops-eval-streams";

    @Parameters(paramLabel = "FOLDER", description = "A scenario folder or a folder of scenario folders.")
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
        long signals = 0;
        long alertsIn = 0;
        long expected = 0;
        long formed = 0;
        long matched = 0;
        for (final Scenario scenario : scenarios) {
            try (EmbeddedRuntime runtime = EmbeddedRuntime.startFresh(base, "eval")) {
                if (scenario.catalog().isPresent()) {
                    try (InputStream in = Files.newInputStream(scenario.catalog().get())) {
                        CatalogLoader.publish(runtime.kafka(), CatalogLoader.parse(in, scenario.catalog().get().toString()));
                    }
                }
                final List<Incident> incidents;
                final Map<String, Analysis> analyses;
                final ScenarioFeeder.Fed fed;
                final MeterRegistry metrics = Metrics.newRegistry("eval");
                try (StreamsService streams = StreamsService.start(runtime.kafka(), APP, runtime.home().resolve("streams"),
                        StreamsConfigKeys.from(base), metrics);
                     Analyzer analyzer = Analyzer.start(runtime.kafka(), worker, llm, metrics)) {
                    score.analyst = analyzer.analyst();
                    fed = ScenarioFeeder.feed(runtime.kafka(), scenario.signals(), "eval-" + scenario.name());
                    Quiescence.awaitCaughtUp(runtime.kafka(), APP,
                            List.of(Topics.ALERTS_RAW.name(), APP + "-correlation-repartition"), Duration.ofMinutes(5));
                    PipelineCounts.awaitStable(runtime, StreamsConfigKeys.defaults().idleFlush());
                    final Map<String, Incident> latest = IncidentReader.latest(runtime.kafka());
                    incidents = new ArrayList<>(latest.values());
                    analyses = AnalysisReader.awaitAnalysed(runtime.kafka(), latest, Duration.ofMinutes(5));
                }
                score.usage(TopicReader.values(runtime.kafka(), Topics.LLM_USAGE));
                final List<Truth.Expected> truth = scenario.truth().isPresent()
                        ? Truth.read(scenario.truth().get()).incidents() : List.of();
                final Map<String, String> pairs = IncidentMatcher.match(truth, incidents);
                score.rootCauses(truth, pairs, analyses);
                signals += fed.signals();
                alertsIn += fed.alerts().size();
                expected += truth.size();
                formed += incidents.size();
                matched += pairs.size();
                if (!json) {
                    out.printf(Locale.ROOT, "%-24s signals %5d  alerts %5d  incidents %3d  expected %3d  matched %3d%n",
                            scenario.name(), fed.signals(), fed.alerts().size(), incidents.size(), truth.size(),
                            pairs.size());
                    incidents.stream().sorted(Comparator.comparing(Incident::getOpenedAt)).forEach(i -> out.printf(
                            Locale.ROOT, "    %s %-8s %s%n      root cause: %s%n", i.getIncidentId(), i.getState(),
                            i.getServices(), Score.ranking(analyses.get(i.getIncidentId()))));
                    out.flush();
                }
            }
        }
        final Map<String, Object> result = new LinkedHashMap<>();
        result.put("scenarios", scenarios.size());
        result.put("signals", signals);
        result.put("alerts_in", alertsIn);
        result.put("incidents_expected", expected);
        result.put("incidents_formed", formed);
        result.put("incidents_matched", matched);
        result.put("top1", expected == 0 ? 0.0 : Math.round(1000.0 * score.top1 / expected) / 1000.0);
        result.put("top3", expected == 0 ? 0.0 : Math.round(1000.0 * score.top3 / expected) / 1000.0);
        result.put("noise_reduction", formed == 0 ? 0.0 : Math.round(100.0 * alertsIn / formed) / 100.0);
        result.put("llm_calls", score.llmCalls);
        result.put("prompt_tokens", score.promptTokens);
        result.put("completion_tokens", score.completionTokens);
        result.put("cost_usd", score.costUsd.doubleValue());
        result.put("analyst", score.analyst);
        out.println(new ObjectMapper().writeValueAsString(result));
        out.flush();
        return 0;
    }
}
