package aiops.app.replay;

import aiops.avro.AlertEvent;
import aiops.avro.AlertStatus;
import aiops.avro.Forecast;
import aiops.avro.RemediationEvent;
import aiops.common.kafka.KafkaSettings;
import aiops.common.kafka.TopicSnapshot;
import aiops.ingest.publish.SignalPublisher;
import aiops.ingest.replay.ReplayRuns;
import aiops.ingest.replay.ReplaySpeed;
import aiops.ingest.replay.ReplayTimeline;
import aiops.ingest.replay.Replayer;
import aiops.ingest.scenario.CapacityScenarioGenerator;
import aiops.ingest.scenario.Scenario;
import aiops.ingest.scenario.ScenarioReader;
import aiops.ingest.streams.CatalogLoader;
import aiops.remediator.plan.CapacityIntake;
import aiops.schemas.Topics;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The demo's capacity part: five weeks of generated metric history (the shipped {@code cap-1-00}) fed as a replay
 * run, then what the forecaster made of it once every series was forecast from its last hour: the models and how
 * they did against the baseline, predicted exhaustions, and the replica targets the remediator judged (dry-run, as
 * every replay is).
 */
public final class DemoCapacity {

    /** What came out: the latest forecast per series, the exhaustion alerts, and the judged capacity actions. */
    public record Outcome(String runId, int series, Map<String, Forecast> forecasts, List<AlertEvent> exhaustion,
                          List<RemediationEvent> proposals, int incidents, boolean complete, Duration fed,
                          Duration forecast) {

        public long beatBaseline() {
            return forecasts.values().stream().filter(f -> f.getBacktestSmape() != null
                    && f.getBaselineSmape() != null && f.getBacktestSmape() < f.getBaselineSmape()).count();
        }

        /**
         * Services whose replica target was judged. How many targets were judged on the way depends on how the
         * history was batched into the forecaster; this does not.
         */
        public long servicesProposed() {
            return proposals.stream().map(RemediationEvent::getIncidentId).distinct().count();
        }
    }

    private DemoCapacity() {
    }

    /**
     * @param quiet how long the run's incidents, analyses and actions must stay unchanged before it counts as settled
     *              (its PredictedExhaustion alert forms an incident, which is analysed, and billed when a model is set)
     */
    public static Outcome run(final KafkaSettings kafka, final Path dir, final String runId, final Duration quiet,
                              final Duration timeout) throws Exception {
        final Path folder = CapacityScenarioGenerator.generate(dir, 1, 1, 35).get(0);
        final Scenario scenario = new ScenarioReader().read(folder);
        try (InputStream in = Files.newInputStream(folder.resolve("catalog.yaml"))) {
            CatalogLoader.publish(kafka, CatalogLoader.parse(in, "catalog.yaml"));
        }
        final Set<String> series;
        final Instant end;
        final long began = System.nanoTime();
        try (ReplayRuns runs = new ReplayRuns(kafka);
             SignalPublisher publisher = new SignalPublisher(kafka, "aiops-demo-capacity")) {
            final var started = ReplayRuns.started(runId, "demo capacity history", ReplaySpeed.MAX, false, Instant.now());
            runs.put(started);
            final Replayer.Result fed = new Replayer(publisher).replay(ReplayTimeline.of(List.of(scenario),
                    Map.of(scenario.name(), runId)), ReplaySpeed.MAX, p -> { });
            runs.put(ReplayRuns.finished(started, fed.signals(), fed.records(), null, Instant.now()));
            series = scenario.signals().stream().flatMap(s -> java.util.stream.StreamSupport.stream(
                    s.body().spliterator(), false)).map(w -> w.path("service").asText() + "/" + w.path("metric").asText())
                    .collect(Collectors.toSet());
            end = scenario.signals().get(scenario.signals().size() - 1).at();
        }
        final Duration fed = Duration.ofNanos(System.nanoTime() - began);
        final long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Forecast> latest = Map.of();
        boolean complete = false;
        while (System.nanoTime() < deadline && !complete) {
            latest = latest(kafka, runId);
            complete = latest.keySet().containsAll(series)
                    && latest.values().stream().allMatch(f -> !f.getOrigin().isBefore(end));
            if (!complete) {
                Thread.sleep(500);
            }
        }
        final Duration forecast = Duration.ofNanos(System.nanoTime() - began).minus(fed);
        final List<AlertEvent> alerts = TopicSnapshot.values(kafka, Topics.ALERTS_RAW).stream()
                .filter(a -> runId.equals(a.getReplayRunId()) && a.getStatus() == AlertStatus.FIRING
                        && a.getName().equals("PredictedExhaustion")).toList();
        final List<RemediationEvent> proposals = awaitProposals(kafka, runId, latest, deadline);
        final RunResults settled = RunSettle.await(kafka, runId::equals, quiet,
                Duration.ofNanos(Math.max(quiet.toNanos(), deadline - System.nanoTime()))).get(runId);
        return new Outcome(runId, series.size(), latest, alerts, proposals,
                settled == null ? 0 : settled.incidents().size(), complete, fed, forecast);
    }

    private static Map<String, Forecast> latest(final KafkaSettings kafka, final String runId) {
        final Map<String, Forecast> out = new LinkedHashMap<>();
        for (final Forecast f : TopicSnapshot.values(kafka, Topics.FORECASTS)) {
            if (runId.equals(f.getReplayRunId())) {
                out.put(f.getService() + "/" + f.getMetric(), f);
            }
        }
        return out;
    }

    /** The judged (not merely planned) capacity actions of the run, once every recommended service has one. */
    private static List<RemediationEvent> awaitProposals(final KafkaSettings kafka, final String runId,
                                                         final Map<String, Forecast> forecasts, final long deadline)
            throws InterruptedException {
        final Set<String> recommended = forecasts.values().stream().filter(f -> f.getRecommendation() != null)
                .map(f -> CapacityIntake.INCIDENT_PREFIX + f.getService()).collect(Collectors.toSet());
        List<RemediationEvent> judged = List.of();
        while (true) {
            judged = TopicSnapshot.values(kafka, Topics.REMEDIATIONS).stream()
                    .filter(e -> runId.equals(e.getReplayRunId()) && e.getIncidentId().startsWith(
                            CapacityIntake.INCIDENT_PREFIX) && e.getState() != aiops.avro.RemediationState.PLANNED)
                    .toList();
            final Set<String> seen = judged.stream().map(RemediationEvent::getIncidentId).collect(Collectors.toSet());
            if (seen.containsAll(recommended) || System.nanoTime() > deadline) {
                return judged;
            }
            Thread.sleep(500);
        }
    }
}
