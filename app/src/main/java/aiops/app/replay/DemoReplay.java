package aiops.app.replay;

import aiops.avro.Incident;
import aiops.avro.RemediationState;
import aiops.common.kafka.KafkaSettings;
import aiops.ingest.publish.SignalPublisher;
import aiops.ingest.replay.ReplayRuns;
import aiops.ingest.replay.ReplaySpeed;
import aiops.ingest.replay.ReplayTimeline;
import aiops.ingest.replay.Replayer;
import aiops.ingest.scenario.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The demo's replay: the storm again, as a replay run on the running pipeline, compared with what live traffic
 * made of it: the same incidents (by origin and material state), and nothing acted on.
 */
public final class DemoReplay {

    /** What the replay made, and how it compares with live traffic. */
    public record Outcome(String runId, int incidents, boolean sameAsLive, long actions, boolean allDryRun) {
    }

    private DemoReplay() {
    }

    public static Outcome run(final KafkaSettings kafka, final List<Scenario.Signal> storm,
                              final Collection<Incident> live, final String runId, final Duration quiet)
            throws InterruptedException {
        final ReplaySpeed max = ReplaySpeed.MAX;
        try (ReplayRuns runs = new ReplayRuns(kafka); SignalPublisher publisher = new SignalPublisher(kafka, "aiops-demo-replay")) {
            final var started = ReplayRuns.started(runId, "demo storm", max, false, Instant.now());
            runs.put(started);
            final Replayer.Result fed = new Replayer(publisher).replay(ReplayTimeline.of(
                    List.of(new Scenario("storm", storm, Optional.empty(), Optional.empty())), Map.of("storm", runId)),
                    max, p -> { });
            runs.put(ReplayRuns.finished(started, fed.signals(), fed.records(), null, Instant.now()));
        }
        final RunResults results = RunSettle.await(kafka, runId::equals, quiet, Duration.ofSeconds(120))
                .getOrDefault(runId, new RunResults(runId, Map.of(), Map.of(), Map.of(), Map.of()));
        final long actions = results.remediations().values().stream().flatMap(List::stream)
                .filter(e -> e.getState() != RemediationState.PLANNED).count();
        final boolean dryRun = results.remediations().values().stream().flatMap(List::stream)
                .allMatch(e -> e.getState() == RemediationState.PLANNED || e.getState() == RemediationState.DRY_RUN
                        || e.getState() == RemediationState.REFUSED);
        return new Outcome(runId, results.incidents().size(),
                shapes(results.incidents().values()).equals(shapes(live)), actions, dryRun);
    }

    /** Incidents by origin with their material end state (see {@code ReplayPacingTest}). */
    static Map<String, String> shapes(final Collection<Incident> incidents) {
        return incidents.stream().collect(Collectors.toMap(i -> RunResults.origin(i, ""), i -> "v" + i.getVersion()
                + " " + i.getState() + " " + i.getSeverity() + " " + i.getServices() + " "
                + i.getAnomalies().stream().map(a -> a.getKind()).distinct().sorted().toList() + " " + i.getOpenedAt()
                + ".." + i.getResolvedAt(), (a, b) -> a + "|" + b));
    }
}
