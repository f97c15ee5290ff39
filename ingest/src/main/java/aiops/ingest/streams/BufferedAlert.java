package aiops.ingest.streams;

import aiops.avro.EnrichedAlert;

/** An enriched alert waiting in the correlator's reorder buffer (JSON in its state store). */
public final class BufferedAlert {
    public String fingerprint;
    public String name;
    public String service;
    public String severity;
    public String status;
    public long eventTime;
    public String replayRunId;
    public String traceParent;

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
        return String.format("%015d/%s/%s/%s", eventTime, fingerprint, status, name);
    }
}
