package aiops.analyzer.worker;

import aiops.analyzer.AnalysisEngine;
import aiops.avro.Analysis;
import aiops.common.kafka.KafkaSettings;
import aiops.common.kafka.TopicSnapshot;
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

    private AnalysedHistory() {
    }

    static void restore(final KafkaSettings kafka, final Debouncer debouncer, final AnalysisEngine engine) {
        final Map<String, Analysis> latest = new LinkedHashMap<>();
        TopicSnapshot.forEach(kafka, Topics.ANALYSES, Duration.ofMinutes(5), r -> {
            if (r.value() != null) {
                latest.remove(r.value().getIncidentId());
                latest.put(r.value().getIncidentId(), r.value());
            }
        });
        latest.values().forEach(a -> debouncer.restore(a.getIncidentId(), a.getIncidentVersion(),
                a.getIncidentSignature()));
        latest.values().stream().skip(Math.max(0, latest.size() - REMEMBERED)).forEach(engine::remember);
        LOG.info("restored {} analysed incidents", latest.size());
    }
}
