package aiops.ingest.normalize;

import aiops.avro.AlertEvent;
import aiops.avro.AlertStatus;
import java.time.Instant;
import java.util.Map;

/**
 * The source-independent part of building an {@link AlertEvent}: fingerprint fallback, event time, severity
 * mapping and the arrival context.
 */
record AlertDraft(String source, String name, String service, String sourceSeverity, AlertStatus status,
                  Instant startsAt, Instant endsAt, String summary, Map<String, String> labels,
                  Map<String, String> annotations, String generatorUrl, String fingerprint, String sourceRef) {

    AlertEvent toEvent(final SignalContext context) {
        final String fp = fingerprint != null ? fingerprint : Fingerprints.of(source, labels);
        final Instant eventTime = Json.notInFuture(status == AlertStatus.RESOLVED && endsAt != null ? endsAt : startsAt,
                context.receivedAt(), status == AlertStatus.RESOLVED && endsAt != null ? "endsAt" : "startsAt");
        return AlertEvent.newBuilder()
                .setEventId(EventIds.next())
                .setFingerprint(fp)
                .setSource(source)
                .setName(name)
                .setService(service)
                .setSeverity(Severities.parse(sourceSeverity))
                .setSourceSeverity(sourceSeverity)
                .setStatus(status)
                .setStartsAt(startsAt)
                .setEndsAt(endsAt)
                .setEventTime(eventTime)
                .setReceivedAt(context.receivedAt())
                .setSummary(summary)
                .setLabels(labels)
                .setAnnotations(annotations)
                .setGeneratorUrl(generatorUrl)
                .setSourceRef(sourceRef)
                .setReplayRunId(context.replayRunId())
                .setTraceParent(context.traceParent())
                .build();
    }

    static AlertStatus status(final String value, final String path) {
        if (value == null) {
            throw new InvalidSignalException(path, "is required (firing or resolved)");
        }
        switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "firing", "trigger", "triggered", "alerting", "warn", "no data", "nodata", "error":
                return AlertStatus.FIRING;
            case "resolved", "resolve", "recovered", "ok", "normal":
                return AlertStatus.RESOLVED;
            default:
                throw new InvalidSignalException(path, "'" + Json.abbreviate(value) + "' is not firing or resolved");
        }
    }
}
