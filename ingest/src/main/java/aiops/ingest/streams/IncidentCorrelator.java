package aiops.ingest.streams;

import aiops.avro.AlertStatus;
import aiops.avro.EnrichedAlert;
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
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;

/**
 * Groups enriched alerts into incidents. Alerts wait in a reorder buffer until stream time (the largest event time
 * seen) has passed them by the grace period, then are applied in event-time order, so any arrival order inside the
 * grace gives the same incidents. An alert joins the open incident it already belongs to, else an open incident
 * holding a service within {@code correlationHops} dependency hops that saw a signal within the gap, else it reopens
 * a recently resolved incident of its own, else it opens a new one. Incidents are emitted only on material change.
 * Runs as a single task (its input is keyed to one partition) because correlation spans services.
 */
final class IncidentCorrelator implements Processor<String, EnrichedAlert, String, Incident> {

    static final String BUFFER_STORE = "aiops-correlator-buffer";
    static final String INCIDENT_STORE = "aiops-correlator-incidents";
    static final String META_STORE = "aiops-correlator-meta";
    private static final String STREAM_TIME = "stream-time";
    private static final String UNKNOWN_SERVICE = "unknown";

    private final StreamsConfigKeys config;
    private ProcessorContext<String, Incident> context;
    private KeyValueStore<String, BufferedAlert> buffer;
    private KeyValueStore<String, IncidentState> incidents;
    private KeyValueStore<String, Long> meta;
    private TimestampedKeyValueStore<String, ServiceEntry> catalogStore;
    private final Map<String, IncidentState> open = new LinkedHashMap<>();
    private long lastInputWallClock;

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
        try (KeyValueIterator<String, IncidentState> it = incidents.all()) {
            it.forEachRemaining(kv -> {
                if (kv.value.isOpen()) {
                    open.put(kv.key, kv.value);
                }
            });
        }
        lastInputWallClock = System.currentTimeMillis();
        // With no new input, stream time stands still; flush the buffer so the tail of a burst is not held forever.
        context.schedule(config.idleFlush(), PunctuationType.WALL_CLOCK_TIME, now -> {
            if (now - lastInputWallClock >= config.idleFlush().toMillis()) {
                drain(Long.MAX_VALUE);
            }
        });
    }

    @Override
    public void process(final Record<String, EnrichedAlert> record) {
        if (record.value() == null) {
            return;
        }
        lastInputWallClock = System.currentTimeMillis();
        final BufferedAlert alert = BufferedAlert.of(record.value());
        buffer.put(alert.bufferKey(), alert);
        final Long previous = meta.get(STREAM_TIME);
        final long streamTime = Math.max(previous == null ? Long.MIN_VALUE : previous, alert.eventTime);
        meta.put(STREAM_TIME, streamTime);
        drain(streamTime - config.grace().toMillis());
    }

    /** Applies buffered alerts with event time up to {@code watermark}, in order, then resolves quiet incidents. */
    private void drain(final long watermark) {
        final List<KeyValue<String, BufferedAlert>> ready = new ArrayList<>();
        try (KeyValueIterator<String, BufferedAlert> it = buffer.all()) {
            while (it.hasNext()) {
                final KeyValue<String, BufferedAlert> kv = it.next();
                if (kv.value.eventTime > watermark) {
                    break;
                }
                ready.add(kv);
            }
        }
        if (ready.isEmpty()) {
            return;
        }
        final Catalog catalog = Catalog.read(catalogStore);
        long latest = Long.MIN_VALUE;
        for (final KeyValue<String, BufferedAlert> kv : ready) {
            buffer.delete(kv.key);
            apply(kv.value, catalog);
            latest = Math.max(latest, kv.value.eventTime);
        }
        resolveQuiet(latest);
    }

    private void apply(final BufferedAlert alert, final Catalog catalog) {
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
            if (alert.eventTime - incident.lastSignalAt > config.correlationGap().toMillis()) {
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
        for (final IncidentState incident : List.copyOf(open.values())) {
            if (incident.quietSince != null && eventTime - incident.quietSince >= config.resolveDelay().toMillis()) {
                incident.state = "RESOLVED";
                incident.resolvedAt = incident.quietSince;
                open.remove(incident.id);
                emit(incident, "resolved");
            }
        }
    }

    private void emit(final IncidentState incident, final String reason) {
        incident.version++;
        if (incident.version > 1 && "OPEN".equals(incident.state)) {
            incident.state = "UPDATED";
        }
        incidents.put(incident.id, incident);
        context.forward(new Record<>(incident.id, incident.toAvro(reason), incident.lastSignalAt));
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
