package aiops.ingest.streams;

import aiops.avro.AlertStatus;
import aiops.avro.Incident;
import aiops.avro.ServiceEntry;
import aiops.avro.Severity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;

/**
 * Groups enriched alerts into incidents. Alerts wait in a reorder buffer until the watermark (the smallest, over the
 * raw topic's partitions, of the largest event time each has delivered) has passed them by the grace period, then are
 * applied in event-time order, so any arrival order inside the grace gives the same incidents, however unevenly the
 * upstream partitions are consumed. An alert joins the open incident it already belongs to, else an open incident
 * holding a service within {@code correlationHops} dependency hops that saw a signal within the gap, else it reopens
 * a recently resolved incident of its own, else it opens a new one. Incidents are emitted only on material change.
 * Runs as a single task (its input is keyed to one partition) because correlation spans services.
 */
final class IncidentCorrelator implements Processor<String, BufferedAlert, String, Incident> {

    static final String BUFFER_STORE = "aiops-correlator-buffer";
    static final String INCIDENT_STORE = "aiops-correlator-incidents";
    static final String META_STORE = "aiops-correlator-meta";
    private static final String UNKNOWN_SERVICE = "unknown";

    private final StreamsConfigKeys config;
    private ProcessorContext<String, Incident> context;
    private KeyValueStore<String, BufferedAlert> buffer;
    private KeyValueStore<String, IncidentState> incidents;
    private KeyValueStore<String, Long> meta;
    private Watermarks watermarks;
    private TimestampedKeyValueStore<String, ServiceEntry> catalogStore;
    private final Map<String, IncidentState> open = new LinkedHashMap<>();
    /** The reorder buffer's contents in key (event-time) order; the store is its durable copy. */
    private final java.util.TreeMap<String, BufferedAlert> pending = new java.util.TreeMap<>();
    private long lastInputWallClock;
    private Catalog cachedCatalog;
    private long catalogReadAt;
    private static final long CATALOG_REFRESH_MS = 5_000;

    IncidentCorrelator(final StreamsConfigKeys config) {
        this.config = config;
    }

    @Override
    public void init(final ProcessorContext<String, Incident> context) {
        this.context = context;
        buffer = context.getStateStore(BUFFER_STORE);
        incidents = context.getStateStore(INCIDENT_STORE);
        meta = context.getStateStore(META_STORE);
        catalogStore = context.getStateStore(Catalog.STORE);
        watermarks = new Watermarks(meta, config.partitionIdle(), config.rawPartitions(),
                context.currentSystemTimeMs());
        try (KeyValueIterator<String, IncidentState> it = incidents.all()) {
            it.forEachRemaining(kv -> {
                if (kv.value.isOpen()) {
                    open.put(kv.key, kv.value);
                }
            });
        }
        try (KeyValueIterator<String, BufferedAlert> it = buffer.all()) {
            it.forEachRemaining(kv -> pending.put(kv.key, kv.value));
        }
        lastInputWallClock = context.currentSystemTimeMs();
        // With no new input, stream time stands still; flush the buffer so the tail of a burst is not held forever.
        context.schedule(java.time.Duration.ofMillis(500), PunctuationType.WALL_CLOCK_TIME, now -> {
            if (now - lastInputWallClock >= config.idleFlush().toMillis()) {
                drain(Long.MAX_VALUE);
            }
        });
    }

    @Override
    public void process(final Record<String, BufferedAlert> record) {
        if (record.value() == null) {
            return;
        }
        lastInputWallClock = context.currentSystemTimeMs();
        final BufferedAlert alert = record.value();
        buffer.put(alert.bufferKey(), alert);
        pending.put(alert.bufferKey(), alert);
        if (!alert.isAnomaly()) {
            // Only alerts drive the watermark; anomalies ride along and are applied when it passes them.
            watermarks.observe(sourcePartition(record), alert.eventTime, lastInputWallClock);
        }
        final long watermark = watermarks.watermark(lastInputWallClock);
        if (watermark != Long.MIN_VALUE) {
            drain(watermark - config.grace().toMillis());
        }
    }

    private static int sourcePartition(final Record<String, BufferedAlert> record) {
        final org.apache.kafka.common.header.Header h = record.headers().lastHeader(AlertDeduplicator.SOURCE_PARTITION_HEADER);
        if (h == null) {
            return -1;
        }
        try {
            return Integer.parseInt(new String(h.value(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Applies buffered alerts with event time up to {@code watermark}, in order, then resolves quiet incidents. */
    private void drain(final long watermark) {
        if (pending.isEmpty() || pending.firstEntry().getValue().eventTime > watermark) {
            return;
        }
        final Catalog catalog = catalog();
        long latest = Long.MIN_VALUE;
        while (!pending.isEmpty() && pending.firstEntry().getValue().eventTime <= watermark) {
            final Map.Entry<String, BufferedAlert> next = pending.pollFirstEntry();
            buffer.delete(next.getKey());
            apply(next.getValue(), catalog);
            latest = Math.max(latest, next.getValue().eventTime);
        }
        resolveQuiet(latest);
    }

    /** The catalogue, re-read at most every few seconds: it changes rarely and reading it per batch is not free. */
    private Catalog catalog() {
        final long now = System.currentTimeMillis();
        if (cachedCatalog == null || now - catalogReadAt > CATALOG_REFRESH_MS) {
            cachedCatalog = Catalog.read(catalogStore);
            catalogReadAt = now;
        }
        return cachedCatalog;
    }

    private void apply(final BufferedAlert alert, final Catalog catalog) {
        if (alert.isAnomaly()) {
            attach(alert, catalog);
            return;
        }
        final boolean firing = AlertStatus.FIRING.name().equals(alert.status);
        IncidentState target = open.values().stream().filter(i -> i.alerts.containsKey(alert.fingerprint)).findFirst()
                .orElse(null);
        if (target == null && firing) {
            target = nearestOpen(alert, catalog);
        }
        if (target == null && firing) {
            final IncidentState resolved = recentlyResolved(alert);
            if (resolved != null) {
                resolved.state = "UPDATED";
                resolved.resolvedAt = null;
                open.put(resolved.id, resolved);
                update(resolved, alert);
                emit(resolved, "reopened");
                return;
            }
        }
        if (target == null) {
            if (firing) {
                emit(openIncident(alert), "opened");
            }
            return;
        }
        final String reason = update(target, alert);
        if (reason != null) {
            emit(target, reason);
        } else {
            incidents.put(target.id, target);
        }
    }

    private IncidentState nearestOpen(final BufferedAlert alert, final Catalog catalog) {
        IncidentState best = null;
        int bestHops = Integer.MAX_VALUE;
        for (final IncidentState incident : open.values()) {
            final long gap = config.correlationGap().toMillis();
            if (alert.eventTime > incident.lastSignalAt + gap || alert.eventTime < incident.openedAt - gap) {
                continue;
            }
            for (final String service : incident.services) {
                final int hops = catalog.distance(alert.service, service, config.correlationHops());
                if (hops >= 0 && (hops < bestHops || hops == bestHops && incident.lastSignalAt > best.lastSignalAt)) {
                    best = incident;
                    bestHops = hops;
                }
            }
        }
        return best;
    }

    /** An anomaly joins the nearest open incident; alone it opens none. A new anomaly kind is a material change. */
    private void attach(final BufferedAlert anomaly, final Catalog catalog) {
        final IncidentState incident = nearestOpen(anomaly, catalog);
        if (incident == null || incident.anomalies.stream().anyMatch(a -> a.id.equals(anomaly.fingerprint))) {
            return;
        }
        final boolean newKind = incident.anomalies.stream().noneMatch(a -> a.kind.equals(anomaly.anomalyKind));
        final IncidentState.AnomalyState a = new IncidentState.AnomalyState();
        a.id = anomaly.fingerprint;
        a.kind = anomaly.anomalyKind;
        a.service = anomaly.service;
        a.detectedAt = anomaly.eventTime;
        a.score = anomaly.score;
        a.summary = anomaly.summary;
        a.attributes.putAll(anomaly.attributes);
        incident.anomalies.add(a);
        incident.signalCount++;
        if (newKind) {
            emit(incident, "new_anomaly");
        } else {
            incidents.put(incident.id, incident);
        }
    }

    private IncidentState recentlyResolved(final BufferedAlert alert) {
        IncidentState found = null;
        try (KeyValueIterator<String, IncidentState> it = incidents.all()) {
            while (it.hasNext()) {
                final IncidentState candidate = it.next().value;
                if (!candidate.isOpen() && candidate.alerts.containsKey(alert.fingerprint) && candidate.resolvedAt != null
                        && alert.eventTime - candidate.resolvedAt <= config.reopenWindow().toMillis()
                        && (found == null || candidate.resolvedAt > found.resolvedAt)) {
                    found = candidate;
                }
            }
        }
        return found;
    }

    private IncidentState openIncident(final BufferedAlert alert) {
        final IncidentState incident = new IncidentState();
        incident.id = "inc-" + shortHash(alert.fingerprint + "@" + alert.eventTime);
        incident.state = "OPEN";
        incident.title = alert.name + " on " + alert.service;
        incident.severity = alert.severity;
        incident.openedAt = alert.eventTime;
        incident.replayRunId = alert.replayRunId;
        incident.traceParent = alert.traceParent;
        open.put(incident.id, incident);
        update(incident, alert);
        return incident;
    }

    /** Folds the alert into the incident; returns the material change it made, or {@code null}. */
    private String update(final IncidentState incident, final BufferedAlert alert) {
        final IncidentState.AlertState known = incident.alerts.get(alert.fingerprint);
        if (known != null && UNKNOWN_SERVICE.equals(alert.service)) {
            // A resolution that names no service (a PagerDuty resolve event) belongs to the alert's own service.
            alert.service = known.service;
        }
        String reason = null;
        if (!incident.services.contains(alert.service)) {
            incident.services.add(alert.service);
            reason = "new_service";
        }
        if (rank(alert.severity) < rank(incident.severity)) {
            incident.severity = alert.severity;
            reason = reason == null ? "severity_escalation" : reason;
        }
        final IncidentState.AlertState a = incident.alerts.computeIfAbsent(alert.fingerprint, f -> {
            final IncidentState.AlertState created = new IncidentState.AlertState();
            created.firstSeen = alert.eventTime;
            return created;
        });
        a.name = alert.name;
        a.service = alert.service;
        a.severity = alert.severity;
        a.status = alert.status;
        a.lastSeen = Math.max(a.lastSeen, alert.eventTime);
        a.count++;
        incident.signalCount++;
        incident.lastSignalAt = Math.max(incident.lastSignalAt, alert.eventTime);
        incident.quietSince = incident.allResolved() ? Long.valueOf(incident.lastSignalAt) : null;
        return reason;
    }

    private void resolveQuiet(final long eventTime) {
        forgetClosed(eventTime);
        for (final IncidentState incident : List.copyOf(open.values())) {
            if (incident.quietSince != null && eventTime - incident.quietSince >= config.resolveDelay().toMillis()) {
                incident.state = "RESOLVED";
                incident.resolvedAt = incident.quietSince;
                open.remove(incident.id);
                emit(incident, "resolved");
            }
        }
    }

    /** Resolved incidents past the reopen window can no longer change; their last version stays on the topic. */
    private void forgetClosed(final long eventTime) {
        final List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, IncidentState> it = incidents.all()) {
            it.forEachRemaining(kv -> {
                if (!kv.value.isOpen() && kv.value.resolvedAt != null
                        && eventTime - kv.value.resolvedAt > config.reopenWindow().toMillis()) {
                    expired.add(kv.key);
                }
            });
        }
        expired.forEach(incidents::delete);
    }

    private void emit(final IncidentState incident, final String reason) {
        incident.version++;
        if (incident.version > 1 && "OPEN".equals(incident.state)) {
            incident.state = "UPDATED";
        }
        incidents.put(incident.id, incident);
        // Processing time as the Kafka timestamp, as in the deduplicator; event times are in the value.
        context.forward(new Record<>(incident.id, incident.toAvro(reason), context.currentSystemTimeMs()));
    }

    private static int rank(final String severity) {
        return Severity.valueOf(severity).ordinal();
    }

    static String shortHash(final String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
