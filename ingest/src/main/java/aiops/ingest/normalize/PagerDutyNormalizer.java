package aiops.ingest.normalize;

import aiops.avro.AlertStatus;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * PagerDuty Events API v2 event: {@code trigger} and {@code acknowledge} keep the alert firing (the action is
 * kept in the labels), {@code resolve} resolves it. The dedup key is the fingerprint; the routing key, a secret,
 * is never copied into the record.
 */
public final class PagerDutyNormalizer {

    public Normalized normalize(final JsonNode body, final SignalContext context) {
        Json.object(body, "body");
        final String action = Json.text(body, "event_action", "").toLowerCase(Locale.ROOT);
        if (!List.of("trigger", "acknowledge", "resolve").contains(action)) {
            throw new InvalidSignalException("event_action", "must be trigger, acknowledge or resolve");
        }
        final String dedupKey = Json.optText(body, "dedup_key");
        final JsonNode payload = body.get("payload");
        if ("trigger".equals(action) && (payload == null || !payload.isObject())) {
            throw new InvalidSignalException("payload", "is required for trigger events");
        }
        if (!"trigger".equals(action) && dedupKey == null) {
            throw new InvalidSignalException("dedup_key", "is required for " + action + " events");
        }
        final Map<String, String> labels = new TreeMap<>();
        final Map<String, String> annotations = new TreeMap<>();
        labels.put("event_action", action);
        String summary = null;
        String severity = null;
        String service = null;
        String name = dedupKey;
        Instant startsAt = context.receivedAt();
        if (payload != null && payload.isObject()) {
            summary = Json.optText(payload, "summary");
            severity = Json.optText(payload, "severity");
            final String component = Json.optText(payload, "component");
            final String source = Json.optText(payload, "source");
            service = component != null ? component : source;
            Json.putIfPresent(labels, "source", source);
            Json.putIfPresent(labels, "component", component);
            Json.putIfPresent(labels, "group", Json.optText(payload, "group"));
            Json.putIfPresent(labels, "class", Json.optText(payload, "class"));
            Json.stringMap(payload, "custom_details", "payload.").forEach(annotations::put);
            final Instant ts = Json.optInstant(payload, "timestamp", "payload.");
            startsAt = ts != null ? ts : startsAt;
            name = labels.containsKey("class") ? labels.get("class") : summary;
            if ("trigger".equals(action) && summary == null) {
                throw new InvalidSignalException("payload.summary", "is required");
            }
        }
        Json.putIfPresent(annotations, "summary", summary);
        final AlertStatus status = "resolve".equals(action) ? AlertStatus.RESOLVED : AlertStatus.FIRING;
        final Instant endsAt = status == AlertStatus.RESOLVED ? context.receivedAt() : null;
        return Normalized.ofAlerts(List.of(new AlertDraft("pagerduty", name, service, severity, status, startsAt,
                endsAt, summary, labels, annotations, Json.optText(body, "client_url"), dedupKey, dedupKey)
                .toEvent(context)));
    }
}
