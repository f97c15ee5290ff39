package aiops.ingest.normalize;

import aiops.avro.AlertEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prometheus Alertmanager webhook (version 4) and Grafana unified alerting, which sends the same shape:
 * one {@link AlertEvent} per entry of {@code alerts[]}, labels and annotations kept as sent.
 */
public final class AlertmanagerNormalizer {

    private final String source;

    private AlertmanagerNormalizer(final String source) {
        this.source = source;
    }

    public static AlertmanagerNormalizer alertmanager() {
        return new AlertmanagerNormalizer("alertmanager");
    }

    public static AlertmanagerNormalizer grafana() {
        return new AlertmanagerNormalizer("grafana");
    }

    public Normalized normalize(final JsonNode body, final SignalContext context) {
        Json.object(body, "body");
        final JsonNode alerts = body.get("alerts");
        if (alerts == null || !alerts.isArray()) {
            throw new InvalidSignalException("alerts", "is required and must be an array");
        }
        final Map<String, String> commonLabels = Json.stringMap(body, "commonLabels", "");
        final List<AlertEvent> events = new ArrayList<>(alerts.size());
        for (int i = 0; i < alerts.size(); i++) {
            events.add(alert(Json.object(alerts.get(i), "alerts[" + i + "]"), "alerts[" + i + "].", commonLabels,
                    Json.optText(body, "status"), context));
        }
        return Normalized.ofAlerts(events);
    }

    private AlertEvent alert(final JsonNode a, final String path, final Map<String, String> commonLabels,
                             final String groupStatus, final SignalContext context) {
        final Map<String, String> labels = Json.stringMap(a, "labels", path);
        commonLabels.forEach(labels::putIfAbsent);
        final Map<String, String> annotations = Json.stringMap(a, "annotations", path);
        final String status = Json.optText(a, "status") != null ? Json.optText(a, "status") : groupStatus;
        final String name = labels.getOrDefault("alertname", labels.get("__alert_rule_title__"));
        if (name == null) {
            throw new InvalidSignalException(path + "labels.alertname", "is required");
        }
        final String summary = annotations.containsKey("summary") ? annotations.get("summary")
                : annotations.get("description");
        final String sourceRef = labels.get("__alert_rule_uid__");
        return new AlertDraft(source, name, labels.get("service"), labels.get("severity"),
                AlertDraft.status(status, path + "status"),
                Json.instant(a, "startsAt", path), Json.optInstant(a, "endsAt", path), summary, labels, annotations,
                Json.optText(a, "generatorURL"), Json.optText(a, "fingerprint"), sourceRef).toEvent(context);
    }
}
