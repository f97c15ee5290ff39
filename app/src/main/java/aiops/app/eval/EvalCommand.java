package aiops.app.eval;

import aiops.app.cli.ConfigOption;
import aiops.app.runtime.EmbeddedRuntime;
import aiops.app.runtime.IncidentReader;
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
 * its truth.json. Root-cause fields (top1, top3) stay 0 until an analyst runs in the pipeline.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Score the pipeline on scenario folders with truth.json; last line is one JSON object.")
public final class EvalCommand implements Callable<Integer> {

    private static final String APP = "aiops-eval-streams";

    @Parameters(paramLabel = "FOLDER", description = "A scenario folder or a folder of scenario folders.")
    private Path folder;

    @Option(names = "--json", description = "Print only the JSON line.")
    private boolean json;

    @Mixin
    private ConfigOption config;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final PrintWriter out = spec.commandLine().getOut();
        final AiopsConfig base = config.load();
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
                final ScenarioFeeder.Fed fed;
                try (StreamsService streams = StreamsService.start(runtime.kafka(), APP, runtime.home().resolve("streams"),
                        StreamsConfigKeys.from(base), Metrics.newRegistry("eval"))) {
                    fed = ScenarioFeeder.feed(runtime.kafka(), scenario.signals(), "eval-" + scenario.name());
                    Quiescence.awaitCaughtUp(runtime.kafka(), APP,
                            List.of(Topics.ALERTS_RAW.name(), APP + "-correlation-repartition"), Duration.ofMinutes(5));
                    PipelineCounts.awaitStable(runtime, StreamsConfigKeys.defaults().idleFlush());
                    incidents = new ArrayList<>(IncidentReader.latest(runtime.kafka()).values());
                }
                final List<Truth.Expected> truth = scenario.truth().isPresent()
                        ? Truth.read(scenario.truth().get()).incidents() : List.of();
                final Map<String, String> pairs = IncidentMatcher.match(truth, incidents);
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
                            Locale.ROOT, "    %s %-8s %s%n", i.getIncidentId(), i.getState(), i.getServices()));
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
        result.put("top1", 0.0);
        result.put("top3", 0.0);
        result.put("noise_reduction", formed == 0 ? 0.0 : Math.round(100.0 * alertsIn / formed) / 100.0);
        result.put("llm_calls", 0);
        result.put("prompt_tokens", 0);
        result.put("completion_tokens", 0);
        result.put("cost_usd", 0.0);
        result.put("analyst", "none");
        out.println(new ObjectMapper().writeValueAsString(result));
        out.flush();
        return 0;
    }
}
