package aiops.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code aiops forecast}: a series' forecast from a running server (readonly key), as a table with a text chart. */
@Command(name = "forecast", mixinStandardHelpOptions = true,
        description = "Forecast of one service metric from a running server (AIOPS_API_KEY, readonly is enough).")
public final class ForecastCommand implements Callable<Integer> {

    private static final int CHART_WIDTH = 40;

    @Mixin
    KeysCommand.Server server = new KeysCommand.Server();

    @Option(names = "--service", required = true)
    String service;

    @Option(names = "--metric", required = true)
    String metric;

    @Option(names = "--hours", defaultValue = "24", description = "1-168. Default: ${DEFAULT-VALUE}.")
    int hours;

    @Option(names = "--run", description = "A replay run's series instead of live traffic.")
    String run;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (hours < 1 || hours > 168) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--hours must be from 1 to 168");
        }
        final JsonNode doc = server.call("GET", "/api/v1/forecast?service=" + enc(service) + "&metric=" + enc(metric)
                + "&hours=" + hours + (run == null ? "" : "&run=" + enc(run)), null);
        final PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(doc.toString());
        } else {
            render(doc, out);
        }
        out.flush();
        return 0;
    }

    /** Header, then one line per hour: value, interval and a bar whose span is the interval. */
    static void render(final JsonNode doc, final PrintWriter out) {
        out.printf(Locale.ROOT, "%s %s (%s) from %s: method %s, %d h of history%n", doc.path("service").asText(),
                doc.path("metric").asText(), doc.path("unit").asText("-"), doc.path("origin").asText(),
                doc.path("method").asText(), doc.path("history_hours").asInt());
        if (doc.path("method").asText().equals("insufficient_history")) {
            out.println("not enough history to forecast yet (no forecast is better than an invented one)");
            return;
        }
        out.printf(Locale.ROOT, "backtest sMAPE %.3f (seasonal naive %.3f), %d%% intervals%n",
                doc.path("backtest_smape").asDouble(), doc.path("baseline_smape").asDouble(),
                Math.round(100 * doc.path("level").asDouble()));
        final List<JsonNode> points = new ArrayList<>();
        doc.path("points").forEach(points::add);
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (final JsonNode p : points) {
            lo = Math.min(lo, p.path("lower").asDouble());
            hi = Math.max(hi, p.path("upper").asDouble());
        }
        final double span = hi > lo ? hi - lo : 1;
        for (final JsonNode p : points) {
            final int a = (int) Math.round((p.path("lower").asDouble() - lo) / span * CHART_WIDTH);
            final int v = (int) Math.round((p.path("value").asDouble() - lo) / span * CHART_WIDTH);
            final int b = (int) Math.round((p.path("upper").asDouble() - lo) / span * CHART_WIDTH);
            final StringBuilder bar = new StringBuilder(" ".repeat(CHART_WIDTH + 1));
            for (int i = a; i <= b; i++) {
                bar.setCharAt(i, '-');
            }
            bar.setCharAt(v, '*');
            out.printf(Locale.ROOT, "%s %12.3f [%10.3f %10.3f] |%s|%n", p.path("at").asText(),
                    p.path("value").asDouble(), p.path("lower").asDouble(), p.path("upper").asDouble(), bar);
        }
        final JsonNode ex = doc.path("exhaustion");
        if (!ex.isMissingNode()) {
            out.println(ex.path("eta").isNull() ? String.format(Locale.ROOT, "limit %s: not reached within %d h",
                    ex.path("limit").asText(), ex.path("horizon_hours").asInt())
                    : String.format(Locale.ROOT, "limit %s reached around %s (between %s and %s)",
                    ex.path("limit").asText(), ex.path("eta").asText(), ex.path("eta_earliest").asText(),
                    ex.path("eta_latest").isNull() ? "after the horizon" : ex.path("eta_latest").asText()));
        }
        final JsonNode r = doc.path("recommendation");
        if (!r.isMissingNode()) {
            out.printf(Locale.ROOT, "replicas: run %d now (next %d h), per hour %s%n", r.path("target_replicas").asInt(),
                    r.path("lead_hours").asInt(), r.path("replicas"));
        }
    }

    private static String enc(final String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
