package aiops.ingest.normalize;

import aiops.avro.AlertStatus;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Datadog webhook JSON. The default template sends {@code id, title, body, date, event_type, last_updated, org};
 * templates usually add {@code alert_transition}, {@code alert_id}, {@code aggreg_key}, {@code priority} and
 * {@code tags} ("service:x,env:y"), which are used when present. The service comes from the {@code service:} tag.
 */
public final class DatadogNormalizer {

    public Normalized normalize(final JsonNode body, final SignalContext context) {
        Json.object(body, "body");
        final String title = Json.text(body, "title", "");
        final Map<String, String> labels = tags(body.get("tags"));
        final String transition = Json.optText(body, "alert_transition");
        final AlertStatus status = transition == null ? AlertStatus.FIRING
                : transition.toLowerCase(Locale.ROOT).startsWith("recover") ? AlertStatus.RESOLVED : AlertStatus.FIRING;
        final Instant date = Json.optInstant(body, "date", "");
        final Instant at = date != null ? date : context.receivedAt();
        final String alertId = Json.optText(body, "alert_id");
        final String aggregKey = Json.optText(body, "aggreg_key");
        final String fingerprint = aggregKey != null ? aggregKey : alertId;
        final Map<String, String> annotations = new TreeMap<>();
        Json.putIfPresent(annotations, "body", Json.optText(body, "body"));
        Json.putIfPresent(annotations, "event_type", Json.optText(body, "event_type"));
        Json.putIfPresent(annotations, "alert_transition", transition);
        Json.putIfPresent(labels, "alert_id", alertId);
        final String severity = Json.optText(body, "priority") != null ? Json.optText(body, "priority")
                : Json.optText(body, "alert_type");
        return Normalized.ofAlerts(List.of(new AlertDraft("datadog", title, labels.get("service"), severity, status,
                at, status == AlertStatus.RESOLVED ? at : null, title, labels, annotations, Json.optText(body, "link"),
                fingerprint, Json.optText(body, "id")).toEvent(context)));
    }

    private static Map<String, String> tags(final JsonNode node) {
        final Map<String, String> labels = new TreeMap<>();
        if (node == null || node.isNull()) {
            return labels;
        }
        final Iterable<String> items = node.isArray()
                ? () -> java.util.stream.StreamSupport.stream(node.spliterator(), false).map(JsonNode::asText).iterator()
                : List.of(node.asText().split(","));
        for (final String raw : items) {
            final String tag = raw.trim();
            if (tag.isEmpty()) {
                continue;
            }
            final int colon = tag.indexOf(':');
            if (colon > 0) {
                labels.put(tag.substring(0, colon), tag.substring(colon + 1));
            } else {
                labels.put(tag, "");
            }
        }
        return labels;
    }
}
