package aiops.app.replay;

import aiops.ingest.replay.Replayer;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The last line of a replay: what was fed and what the pipeline made of it. */
record ReplaySummary(String runId, int runs, Replayer.Result fed, Map<String, RunResults> results) {

    void print(final PrintWriter out, final boolean json) throws java.io.IOException {
        final long incidents = results.values().stream().mapToLong(r -> r.incidents().size()).sum();
        final long analyses = results.values().stream().mapToLong(r -> r.analyses().size()).sum();
        final long remediations = results.values().stream()
                .mapToLong(r -> r.remediations().values().stream().mapToLong(java.util.List::size).sum()).sum();
        final RunResults.Spend spend = results.values().stream().map(RunResults::totalSpend)
                .reduce(RunResults.Spend.NONE, RunResults.Spend::plus);
        final double seconds = fed.elapsed().toMillis() / 1000.0;
        if (!json) {
            fed.rejected().forEach(r -> out.println("rejected " + r));
            out.printf(Locale.ROOT, "replay %s: %d run%s, %d signals (%d records) in %.1f s; %d incidents, %d analyses,"
                            + " %d remediation events, %d LLM calls, %d tokens, $%s%s%n", runId, runs, runs == 1 ? "" : "s",
                    fed.signals(), fed.records(), seconds, incidents, analyses, remediations, spend.calls(),
                    spend.inputTokens() + spend.outputTokens(), spend.costUsd().setScale(6, RoundingMode.HALF_UP)
                            .toPlainString(), fed.rejected().isEmpty() ? "" : "; " + fed.rejected().size() + " rejected");
            out.flush();
            return;
        }
        final Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("run_id", runId);
        doc.put("runs", runs);
        doc.put("signals", fed.signals());
        doc.put("records", fed.records());
        doc.put("rejected", fed.rejected());
        doc.put("seconds", Math.round(seconds * 10) / 10.0);
        doc.put("incidents", incidents);
        doc.put("analyses", analyses);
        doc.put("remediation_events", remediations);
        doc.put("llm_calls", spend.calls());
        doc.put("tokens", spend.inputTokens() + spend.outputTokens());
        doc.put("cost_usd", spend.costUsd().setScale(6, RoundingMode.HALF_UP).toPlainString());
        out.println(new ObjectMapper().writeValueAsString(doc));
        out.flush();
    }
}
