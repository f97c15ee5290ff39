package aiops.analyzer.worker;

import aiops.analyzer.AnalysisEngine;
import aiops.avro.Analysis;
import aiops.common.kafka.KafkaSettings;
import aiops.common.kafka.TopicSnapshot;
import aiops.schemas.RegistryFailures;
import aiops.schemas.Topics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What was already analysed, read back from {@code aiops.analyses} (committed records only) at start: the last
 * analysed version and signature of every incident, and the similar-incident memory.
 */
final class AnalysedHistory {

    private static final Logger LOG = LoggerFactory.getLogger(AnalysedHistory.class);
    private static final int REMEMBERED = 2_000;
    private static final Duration REGISTRY_WAIT = Duration.ofMinutes(5);

    private AnalysedHistory() {
    }

    /**
     * Reads the history; while the schema registry cannot be asked, waits and reads again (a history with gaps would
     * send incidents already analysed to the model once more), up to {@link #REGISTRY_WAIT}.
     */
    static void restore(final KafkaSettings kafka, final Debouncer debouncer, final AnalysisEngine engine)
            throws InterruptedException {
        final long deadline = System.nanoTime() + REGISTRY_WAIT.toNanos();
        Map<String, Analysis> latest;
        while (true) {
            try {
                latest = read(kafka);
                break;
            } catch (final IllegalStateException e) {
                if (!RegistryFailures.isUnavailable(e) || System.nanoTime() > deadline) {
                    throw e;
                }
                LOG.warn("analysis history not readable yet, retrying in 1 s: {}", e.getMessage());
                Thread.sleep(1_000);
            }
        }
        latest.values().forEach(a -> debouncer.restore(a.getIncidentId(), a.getIncidentVersion(),
                a.getIncidentSignature()));
        latest.values().stream().skip(Math.max(0, latest.size() - REMEMBERED)).forEach(engine::remember);
        LOG.info("restored {} analysed incidents", latest.size());
    }

    private static Map<String, Analysis> read(final KafkaSettings kafka) {
        final Map<String, Analysis> latest = new LinkedHashMap<>();
        TopicSnapshot.forEach(kafka, Topics.ANALYSES, Duration.ofMinutes(5), r -> {
            if (r.value() != null) {
                latest.remove(r.value().getIncidentId());
                latest.put(r.value().getIncidentId(), r.value());
            }
        });
        return latest;
    }
}
