package aiops.ingest.streams;

import aiops.avro.AlertStatus;
import aiops.avro.Incident;
import aiops.avro.IncidentAlert;
import aiops.avro.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The correlator's working copy of one incident (JSON in its state store). */
public final class IncidentState {

    /** One alert fingerprint inside the incident. */
    public static final class AlertState {
        public String name;
        public String service;
        public String severity;
        public String status;
        public long firstSeen;
        public long lastSeen;
        public int count;
    }

    /** One anomaly attached to the incident. */
    public static final class AnomalyState {
        public String id;
        public String kind;
        public String service;
        public long detectedAt;
        public double score;
        public String summary;
        public Map<String, String> attributes = new LinkedHashMap<>();
    }

    public String id;
    public int version;
    public String state;
    public String title;
    public String severity;
    public List<String> services = new ArrayList<>();
    public Map<String, AlertState> alerts = new LinkedHashMap<>();
    public List<AnomalyState> anomalies = new ArrayList<>();
    public long openedAt;
    public long lastSignalAt;
    public Long resolvedAt;
    public Long quietSince;
    public long signalCount;
    public String replayRunId;
    public String traceParent;

    boolean isOpen() {
        return !"RESOLVED".equals(state);
    }

    boolean allResolved() {
        return alerts.values().stream().allMatch(a -> AlertStatus.RESOLVED.name().equals(a.status));
    }

    Incident toAvro(final String changeReason) {
        final List<IncidentAlert> list = new ArrayList<>();
        for (final Map.Entry<String, AlertState> e : alerts.entrySet()) {
            final AlertState a = e.getValue();
            list.add(IncidentAlert.newBuilder().setFingerprint(e.getKey()).setName(a.name).setService(a.service)
                    .setSeverity(Severity.valueOf(a.severity)).setStatus(AlertStatus.valueOf(a.status))
                    .setFirstSeen(Instant.ofEpochMilli(a.firstSeen)).setLastSeen(Instant.ofEpochMilli(a.lastSeen))
                    .setCount(a.count).build());
        }
        return Incident.newBuilder()
                .setIncidentId(id).setVersion(version).setState(aiops.avro.IncidentState.valueOf(state))
                .setChangeReason(changeReason).setTitle(title).setSeverity(Severity.valueOf(severity))
                .setServices(List.copyOf(services)).setAlerts(list).setAnomalies(anomalies.stream()
                        .map(x -> aiops.avro.Anomaly.newBuilder().setAnomalyId(x.id).setKind(x.kind).setService(x.service)
                                .setDetectedAt(Instant.ofEpochMilli(x.detectedAt)).setScore(x.score)
                                .setSummary(x.summary).setAttributes(x.attributes).build()).toList())
                .setOpenedAt(Instant.ofEpochMilli(openedAt)).setUpdatedAt(Instant.ofEpochMilli(lastSignalAt))
                .setResolvedAt(resolvedAt == null ? null : Instant.ofEpochMilli(resolvedAt))
                .setSignalCount(signalCount).setReplayRunId(replayRunId).setTraceParent(traceParent)
                .build();
    }
}
