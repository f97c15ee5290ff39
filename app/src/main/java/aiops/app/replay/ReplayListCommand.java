package aiops.app.replay;

import aiops.app.cli.ConfigOption;
import aiops.avro.ReplayRun;
import aiops.ingest.replay.ReplayRuns;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code aiops replay list}: every recorded run with its signals, incidents and LLM cost. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "Replay runs with signal counts, incidents and cost.")
final class ReplayListCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print one JSON object.")
    private boolean json;

    @Mixin
    private ConfigOption config;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final PrintWriter out = spec.commandLine().getOut();
        try (ReplayTarget target = ReplayTarget.open(config.load())) {
            final List<ReplayRun> runs = ReplayRuns.all(target.kafka());
            final java.util.Set<String> ids = new java.util.HashSet<>();
            runs.forEach(r -> ids.add(r.getRunId()));
            final Map<String, RunResults> results = RunResults.read(target.kafka(), ids::contains);
            if (json) {
                out.println(new ObjectMapper().writeValueAsString(Map.of("runs", runs.stream()
                        .map(r -> row(r, results.get(r.getRunId()))).toList())));
            } else {
                out.printf(Locale.ROOT, "%-40s %-9s %-6s %-7s %8s %8s %9s %8s %6s %12s  %s%n", "run", "status", "speed",
                        "effects", "signals", "records", "incidents", "analyses", "calls", "cost_usd", "started / source");
                for (final ReplayRun r : runs) {
                    final Map<String, Object> row = row(r, results.get(r.getRunId()));
                    out.printf(Locale.ROOT, "%-40s %-9s %-6s %-7s %8d %8d %9d %8d %6d %12s  %s %s%n", r.getRunId(),
                            r.getStatus(), r.getSpeed(), r.getAllowSideEffects() ? "allowed" : "none", r.getSignals(),
                            r.getRecords(), row.get("incidents"), row.get("analyses"), row.get("llm_calls"),
                            row.get("cost_usd"), r.getStartedAt(), r.getSource());
                }
                out.println(runs.size() + " run" + (runs.size() == 1 ? "" : "s"));
            }
            out.flush();
        }
        return 0;
    }

    private static Map<String, Object> row(final ReplayRun r, final RunResults results) {
        final Map<String, Object> row = new LinkedHashMap<>();
        row.put("run_id", r.getRunId());
        row.put("status", r.getStatus().name());
        row.put("source", r.getSource());
        row.put("speed", r.getSpeed());
        row.put("allow_side_effects", r.getAllowSideEffects());
        row.put("started_at", r.getStartedAt().toString());
        row.put("finished_at", r.getFinishedAt() == null ? null : r.getFinishedAt().toString());
        row.put("signals", r.getSignals());
        row.put("records", r.getRecords());
        row.put("incidents", results == null ? 0 : results.incidents().size());
        row.put("analyses", results == null ? 0 : results.analyses().size());
        final RunResults.Spend spend = results == null ? RunResults.Spend.NONE : results.totalSpend();
        row.put("llm_calls", spend.calls());
        row.put("cost_usd", spend.costUsd().setScale(6, RoundingMode.HALF_UP).toPlainString());
        if (r.getError() != null) {
            row.put("error", r.getError());
        }
        return row;
    }
}
