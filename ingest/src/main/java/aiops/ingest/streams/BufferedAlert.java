package aiops.ingest.streams;

import aiops.avro.EnrichedAlert;

/**
 * A signal on its way to the correlator: an enriched alert, or an anomaly seen in metrics or logs. Written by
 * {@link BufferedAlertSerde} on the internal repartition topic and in the reorder buffer; never a public contract.
 */
public final class BufferedAlert {
    /** {@code alert} or {@code anomaly}. */
    public String kind = "alert";
    public String fingerprint;
    public String name;
    public String service;
    public String severity;
    public String status;
    public long eventTime;
    public String replayRunId;
    public String traceParent;
    public String anomalyKind;
    public double score;
    public String summary;
    public java.util.Map<String, String> attributes = new java.util.TreeMap<>();

    boolean isAnomaly() {
        return "anomaly".equals(kind);
    }

    /** An anomaly; it attaches to incidents but never opens one. */
    static BufferedAlert anomaly(final String replayRunId, final String id, final String service,
                                 final String anomalyKind, final long eventTime, final double score, final String summary,
                                 final java.util.Map<String, String> attributes) {
        final BufferedAlert b = new BufferedAlert();
        b.replayRunId = replayRunId;
        b.kind = "anomaly";
        b.fingerprint = id;
        b.name = anomalyKind;
        b.service = service;
        b.severity = "WARNING";
        b.status = "FIRING";
        b.eventTime = eventTime;
        b.anomalyKind = anomalyKind;
        b.score = score;
        b.summary = summary;
        b.attributes = new java.util.TreeMap<>(attributes);
        return b;
    }

    static BufferedAlert of(final EnrichedAlert e) {
        final BufferedAlert b = new BufferedAlert();
        b.fingerprint = e.getAlert().getFingerprint();
        b.name = e.getAlert().getName();
        b.service = e.getService();
        b.severity = e.getSeverity().name();
        b.status = e.getAlert().getStatus().name();
        b.eventTime = e.getAlert().getEventTime().toEpochMilli();
        b.replayRunId = e.getAlert().getReplayRunId();
        b.traceParent = e.getAlert().getTraceParent();
        return b;
    }

    /**
     * Buffer key: event time first so that iteration is event-time order, then content, so that signals with
     * equal times come out in the same order whatever order they arrived in.
     */
    String bufferKey() {
        final String time = Long.toString(eventTime);
        final StringBuilder key = new StringBuilder(64);
        if (eventTime >= 0) {
            key.append("0".repeat(Math.max(0, 15 - time.length())));
        }
        return key.append(time).append('/').append(fingerprint).append('/').append(status).append('/').append(name)
                .toString();
    }
}
