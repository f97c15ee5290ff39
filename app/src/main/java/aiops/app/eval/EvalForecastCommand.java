package aiops.app.eval;

import aiops.avro.MetricWindow;
import aiops.avro.ServiceEntry;
import aiops.forecast.eval.ForecastEvaluation;
import aiops.forecast.model.ExhaustionCheck;
import aiops.forecast.model.HistoryBuilder;
import aiops.forecast.model.HourlyHistory;
import aiops.forecast.model.SeriesForecaster;
import aiops.ingest.normalize.MetricWindowNormalizer;
import aiops.ingest.normalize.SignalContext;
import aiops.ingest.scenario.Scenario;
import aiops.ingest.scenario.ScenarioReader;
import aiops.ingest.streams.CatalogLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code aiops eval forecast <folder>}: scores the forecaster on the metric history of scenarios, with the same
 * re-bucketing, model selection and exhaustion rule as the running forecaster (no pipeline needed: the history is
 * the whole input).
 */
@Command(name = "forecast", mixinStandardHelpOptions = true,
        description = "Score capacity forecasts on scenario metric history (holdout: the last 24 h of each series) and "
                + "predicted exhaustion against truth.json's forecasts; last line is one JSON object.")
public final class EvalForecastCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FOLDER", description = "A scenario folder or a folder of scenario folders.")
    private Path folder;

    @Option(names = "--json", description = "Print only the JSON line.")
    private boolean json;

    @Option(names = "--min-history-hours", defaultValue = "336",
            description = "Hours of history below which a series is insufficient_history. Default: ${DEFAULT-VALUE}.")
    private int minHistory;

    @Option(names = "--alert-horizon-hours", defaultValue = "24",
            description = "Hours ahead an exhaustion is alerted. Default: ${DEFAULT-VALUE}.")
    private int alertHorizon;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final PrintWriter out = spec.commandLine().getOut();
        final List<ForecastEvaluation.Series> series = new ArrayList<>();
        for (final Scenario scenario : new ScenarioReader().readAll(folder)) {
            series.addAll(series(scenario));
        }
        final ForecastEvaluation.Result r = new ForecastEvaluation(new SeriesForecaster(minHistory), alertHorizon)
                .evaluate(series);
        if (!json) {
            out.printf(Locale.ROOT, "%-10s %-14s %-22s %-24s %8s %8s %8s %s%n", "scenario", "service", "metric",
                    "method", "smape", "naive", "covered", "first alert");
            for (final ForecastEvaluation.Outcome o : r.outcomes()) {
                out.printf(Locale.ROOT, "%-10s %-14s %-22s %-24s %8s %8s %8s %s%n", o.series().scenario(),
                        o.series().service(), o.series().metric(), o.method().wireName(), fmt(o.smape()),
                        fmt(o.baselineSmape()), Double.isNaN(o.coverage()) ? "-" : fmt(o.coverage()),
                        alertText(o));
            }
        }
        final Map<String, Object> result = new LinkedHashMap<>();
        result.put("series", r.series());
        result.put("forecast", r.forecast());
        result.put("smape", round(r.smape()));
        result.put("smape_seasonal_naive", round(r.smapeSeasonalNaive()));
        result.put("interval_coverage", round(r.intervalCoverage()));
        result.put("exhaustion_expected", r.exhaustionExpected());
        result.put("exhaustion_predicted", r.exhaustionPredicted());
        result.put("median_lead_hours", r.medianLeadHours());
        result.put("false_exhaustion", r.falseExhaustion());
        out.println(new ObjectMapper().writeValueAsString(result));
        out.flush();
        return 0;
    }

    private static String alertText(final ForecastEvaluation.Outcome o) {
        if (o.firstAlertHour() == null) {
            return o.series().exhaustedHour() == null ? "-" : "MISSED";
        }
        final String at = Instant.ofEpochSecond(o.firstAlertHour() * 3600).toString();
        return o.series().exhaustedHour() == null ? at + " FALSE"
                : at + " lead " + (o.series().exhaustedHour() - o.firstAlertHour()) + " h";
    }

    /** The scenario's metric series, each with its limit (truth, else catalogue, else unit default) and truth. */
    static List<ForecastEvaluation.Series> series(final Scenario scenario) throws Exception {
        final MetricWindowNormalizer normalizer = new MetricWindowNormalizer();
        final Map<String, HistoryBuilder> builders = new LinkedHashMap<>();
        final Map<String, String> units = new HashMap<>();
        for (final Scenario.Signal s : scenario.signals()) {
            if (!s.kind().equals("metric")) {
                continue;
            }
            for (final MetricWindow w : normalizer.normalize(s.body(), SignalContext.live(s.at())).metrics()) {
                final String key = w.getService() + "/" + w.getMetric();
                builders.computeIfAbsent(key, k -> new HistoryBuilder()).add(w.getWindowStart().toEpochMilli(),
                        w.getWindowEnd().toEpochMilli(), w.getMean(), w.getMin(), w.getMax());
                if (w.getUnit() != null) {
                    units.put(key, w.getUnit());
                }
            }
        }
        final Map<String, Map<String, Double>> catalogLimits = new HashMap<>();
        if (scenario.catalog().isPresent()) {
            try (InputStream in = Files.newInputStream(scenario.catalog().get())) {
                for (final ServiceEntry e : CatalogLoader.parse(in, scenario.catalog().get().toString())) {
                    if (e.getCapacity() != null) {
                        catalogLimits.put(e.getName(), e.getCapacity().getLimits());
                    }
                }
            }
        }
        final Map<String, JsonNode> truth = new HashMap<>();
        if (scenario.truth().isPresent()) {
            for (final JsonNode f : new ObjectMapper().readTree(Files.readString(scenario.truth().get())).path("forecasts")) {
                truth.put(f.path("service").asText() + "/" + f.path("metric").asText(), f);
            }
        }
        final List<ForecastEvaluation.Series> out = new ArrayList<>();
        for (final Map.Entry<String, HistoryBuilder> e : builders.entrySet()) {
            final String[] sm = e.getKey().split("/", 2);
            final HourlyHistory history = e.getValue().build();
            final JsonNode t = truth.get(e.getKey());
            Double limit = ExhaustionCheck.limitOf(sm[1], units.get(e.getKey()), catalogLimits.get(sm[0]));
            Long exhausted = null;
            if (t != null) {
                limit = t.path("limit").isNumber() ? t.path("limit").asDouble() : limit;
                final JsonNode at = t.path("exhausted_at");
                exhausted = at.isTextual() ? Instant.parse(at.asText()).getEpochSecond() / 3600 : null;
            }
            out.add(new ForecastEvaluation.Series(scenario.name(), sm[0], sm[1], history, limit, exhausted));
        }
        return out;
    }

    private static String fmt(final Double d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.3f", d);
    }

    private static double round(final double d) {
        return Math.round(d * 1000.0) / 1000.0;
    }
}
