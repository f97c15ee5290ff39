package aiops.app.runtime;

import aiops.avro.Incident;
import aiops.common.kafka.KafkaSettings;
import aiops.schemas.Topics;
import java.util.LinkedHashMap;
import java.util.Map;

/** The latest version of every incident on the compacted incidents topic. */
public final class IncidentReader {

    private IncidentReader() {
    }

    public static Map<String, Incident> latest(final KafkaSettings kafka) {
        final Map<String, Incident> out = new LinkedHashMap<>();
        TopicReader.readAll(kafka, Topics.INCIDENTS).forEach(r -> {
            if (r.value() == null) {
                out.remove(r.key());
            } else {
                out.put(r.key(), r.value());
            }
        });
        return out;
    }
}
