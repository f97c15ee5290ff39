package aiops.ingest.replay;

import aiops.ingest.normalize.SignalContext;
import aiops.ingest.normalize.SignalKind;
import aiops.ingest.scenario.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Scenarios -> one timeline of steps. Each scenario keeps its own relative spacing from its first signal, and all of
 * them start together, each as its own run, so a folder of last month's incidents replays in the time of its longest.
 */
public final class ReplayTimeline {

    private ReplayTimeline() {
    }

    /** @param runs run id per scenario name */
    public static List<ReplayStep> of(final List<Scenario> scenarios, final Map<String, String> runs) {
        final List<ReplayStep> steps = new ArrayList<>();
        for (final Scenario scenario : scenarios) {
            if (scenario.signals().isEmpty()) {
                continue;
            }
            final String run = runs.get(scenario.name());
            final Instant first = scenario.signals().get(0).at();
            for (final Scenario.Signal signal : scenario.signals()) {
                final SignalKind kind = SignalKind.parse(signal.kind());
                steps.add(new ReplayStep(run, Duration.between(first, signal.at()),
                        scenario.name() + "/signals.ndjson:" + signal.line(),
                        runId -> kind.normalize(signal.body(), new SignalContext(Instant.now(), runId, null))));
            }
        }
        // Stable: equal offsets keep file order within a scenario.
        steps.sort(Comparator.comparing(ReplayStep::offset));
        return steps;
    }
}
