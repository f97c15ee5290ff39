package aiops.app.runtime;

import aiops.analyzer.worker.IncidentSignature;
import aiops.avro.Analysis;
import aiops.avro.Incident;
import aiops.common.kafka.KafkaSettings;
import aiops.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The newest analysis of every incident, and a wait until every incident's current state has been analysed. */
public final class AnalysisReader {

    private AnalysisReader() {
    }

    public static Map<String, Analysis> latest(final KafkaSettings kafka) {
        final Map<String, Analysis> out = new HashMap<>();
        for (final Analysis a : TopicReader.values(kafka, Topics.ANALYSES)) {
            out.merge(a.getIncidentId(), a, (x, y) -> y.getIncidentVersion() >= x.getIncidentVersion() ? y : x);
        }
        return out;
    }

    /** Waits until each incident has an analysis of what it now is (its signature), or the timeout passes. */
    public static Map<String, Analysis> awaitAnalysed(final KafkaSettings kafka, final Map<String, Incident> incidents,
                                                      final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Analysis> latest = latest(kafka);
        while (!complete(incidents, latest) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            latest = latest(kafka);
        }
        return latest;
    }

    public static boolean complete(final Map<String, Incident> incidents, final Map<String, Analysis> analyses) {
        return incidents.values().stream().allMatch(i -> {
            final Analysis a = analyses.get(i.getIncidentId());
            return a != null && (a.getIncidentVersion() >= i.getVersion()
                    || IncidentSignature.of(i).equals(a.getIncidentSignature()));
        });
    }
}
