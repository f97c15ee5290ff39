package aiops.ingest.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The generic alert: {@code {"source","service","name","severity","status","startsAt","endsAt"?,"labels","annotations",
 * "fingerprint"?}}, for any tool that can send JSON.
 */
public final class GenericAlertNormalizer {

    public Normalized normalize(final JsonNode body, final SignalContext context) {
        Json.object(body, "body");
        final Map<String, String> labels = Json.stringMap(body, "labels", "");
        final Map<String, String> annotations = Json.stringMap(body, "annotations", "");
        final String service = Json.optText(body, "service") != null ? Json.optText(body, "service")
                : labels.get("service");
        if (service == null) {
            throw new InvalidSignalException("service", "is required (or labels.service)");
        }
        labels.putIfAbsent("service", service);
        final String name = Json.text(body, "name", "");
        labels.putIfAbsent("alertname", name);
        final String source = Json.optText(body, "source") != null ? Json.optText(body, "source") : "generic";
        final String summary = annotations.containsKey("summary") ? annotations.get("summary")
                : annotations.get("description");
        return Normalized.ofAlerts(List.of(new AlertDraft(source, name, service, Json.optText(body, "severity"),
                AlertDraft.status(Json.optText(body, "status"), "status"), Json.instant(body, "startsAt", ""),
                Json.optInstant(body, "endsAt", ""), summary, labels, annotations, Json.optText(body, "generatorURL"),
                Json.optText(body, "fingerprint"), null).toEvent(context)));
    }
}
