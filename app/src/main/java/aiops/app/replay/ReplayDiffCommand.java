package aiops.app.replay;

import aiops.app.cli.ConfigOption;
import aiops.ingest.replay.RunIds;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code aiops replay diff}: what a candidate run changed against a baseline run, incident by incident. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Compare two replays of the same signals: root cause, confidence, actions, tokens, cost.")
final class ReplayDiffCommand implements Callable<Integer> {

    @Option(names = "--baseline", required = true, paramLabel = "RUN", description = "Run id (a folder replay's base id covers its scenarios).")
    private String baseline;

    @Option(names = "--candidate", required = true, paramLabel = "RUN", description = "Run id to compare with the baseline.")
    private String candidate;

    @Option(names = "--json", description = "Print one JSON object: summary and rows.")
    private boolean json;

    @Option(names = "--all", description = "Also list incidents that did not change.")
    private boolean all;

    @Mixin
    private ConfigOption config;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try {
            RunIds.validate(baseline);
            RunIds.validate(candidate);
        } catch (final IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        final PrintWriter out = spec.commandLine().getOut();
        try (ReplayTarget target = ReplayTarget.open(config.load())) {
            final Map<String, RunResults> runs = RunResults.read(target.kafka(),
                    r -> RunIds.belongsTo(r, baseline) || RunIds.belongsTo(r, candidate));
            final RunDiff diff = RunDiff.of(baseline, candidate, runs);
            if (diff.summary().baselineIncidents() == 0 || diff.summary().candidateIncidents() == 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no incidents recorded for run "
                        + (diff.summary().baselineIncidents() == 0 ? baseline : candidate) + " (see aiops replay list)");
            }
            if (json) {
                out.println(new ObjectMapper().findAndRegisterModules()
                        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).writeValueAsString(diff));
            } else {
                print(out, diff);
            }
            out.flush();
        }
        return 0;
    }

    private void print(final PrintWriter out, final RunDiff diff) {
        final RunDiff.Summary s = diff.summary();
        out.printf(Locale.ROOT, "%-22s %16s %16s%n", "", "baseline", "candidate");
        out.printf(Locale.ROOT, "%-22s %16s %16s%n", "run", s.baseline(), s.candidate());
        out.printf(Locale.ROOT, "%-22s %16d %16d%n", "incidents", s.baselineIncidents(), s.candidateIncidents());
        out.printf(Locale.ROOT, "%-22s %16.3f %16.3f%n", "mean confidence", s.baselineConfidence(), s.candidateConfidence());
        out.printf(Locale.ROOT, "%-22s %16d %16d%n", "tokens", s.baselineTokens(), s.candidateTokens());
        out.printf(Locale.ROOT, "%-22s %16s %16s%n", "cost_usd", usd(s.baselineCostUsd()), usd(s.candidateCostUsd()));
        out.printf(Locale.ROOT, "matched %d, only in baseline %d, only in candidate %d; root cause changed %d,"
                + " actions changed %d%n%n", s.matched(), s.onlyInBaseline(), s.onlyInCandidate(), s.rootCauseChanged(),
                s.actionsChanged());
        for (final RunDiff.Row row : diff.rows()) {
            if (!all && !row.changed()) {
                continue;
            }
            out.println(row.origin() + (row.title() == null ? "" : "  " + row.title()));
            side(out, "baseline ", row.baseline());
            side(out, "candidate", row.candidate());
        }
    }

    private static void side(final PrintWriter out, final String label, final RunDiff.Side side) {
        if (side == null) {
            out.println("  " + label + "  (no such incident)");
            return;
        }
        out.printf(Locale.ROOT, "  %s  %-16s v%-3d %4d signals %3d anomalies  %-40s conf %.2f  tokens %6d  cost %s  %s%n",
                label, side.incidentId(), side.version(), side.signals(), side.anomalies(), side.rootCause(),
                side.confidence(), side.tokens(), usd(side.costUsd()), side.analyst());
        side.actions().forEach(a -> out.println("             " + a));
    }

    private static String usd(final BigDecimal v) {
        return v.setScale(6, RoundingMode.HALF_UP).toPlainString();
    }
}
