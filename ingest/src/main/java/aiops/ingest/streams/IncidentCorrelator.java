package aiops.ingest.streams;

import aiops.avro.AlertStatus;
import aiops.avro.Incident;
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

/**
 * Groups enriched alerts into incidents. Alerts wait in a reorder buffer until the watermark (the smallest, over the
 * raw topic's partitions, of the largest event time each has delivered) has passed them by the grace period, then are
 * applied in event-time order, so any arrival order inside the grace gives the same incidents, however unevenly the
 * upstream partitions are consumed. An alert joins the open incident it already belongs to, else an open incident
 * holding a service within {@code correlationHops} dependency hops that saw a signal within the gap, else it reopens
 * a recently resolved incident of its own, else it opens a new one. Incidents are emitted only on material change.
 * Runs as a single task (its input is keyed to one partition) because correlation spans services. Live traffic and
 * each replay run correlate apart ({@link CorrelationRun}); a replay run idle for {@link #RUN_RETENTION} is forgotten
 * (its incidents' last versions stay on the topic).
 */
final class IncidentCorrelator implements Processor<String, BufferedAlert, String, Incident> {

    static final String BUFFER_STORE = "aiops-correlator-buffer";
    static final String INCIDENT_STORE = "aiops-correlator-incidents";
    static final String META_STORE = "aiops-correlator-meta";
    private static final String UNKNOWN_SERVICE = "unknown";
    static final java.time.Duration RUN_RETENTION = java.time.Duration.ofHours(6);
    static final int BACKLOG_FLUSH_FACTOR = 10;

    private final StreamsConfigKeys config;
    private ProcessorContext<String, Incident> context;
    private KeyValueStore<String, BufferedAlert> buffer;
    private KeyValueStore<String, IncidentState> incidents;
    private KeyValueStore<String, Long> meta;
    /** Correlation domains by run id; live traffic under {@link #LIVE}. */
    private final Map<String, CorrelationRun> runs = new LinkedHashMap<>();
    private static final String LIVE = "";
    private Catalog.Cached catalogs;

    private final InputBacklog backlog;

    IncidentCorrelator(final StreamsConfigKeys config, final InputBacklog backlog) {
        this.config = config;
        this.backlog = backlog;
    }

    @Override
    public void init(final ProcessorContext<String, Incident> context) {
        this.context = context;
        buffer = context.getStateStore(BUFFER_STORE);
        incidents = context.getStateStore(INCIDENT_STORE);
        meta = context.getStateStore(META_STORE);
        catalogs = new Catalog.Cached(context.getStateStore(Catalog.STORE));
        run(null);
        try (KeyValueIterator<String, IncidentState> it = incidents.all()) {
            it.forEachRemaining(kv -> {
                final CorrelationRun run = run(kv.value.replayRunId);
                (kv.value.isOpen() ? run.open : run.resolved).put(kv.key, kv.value);
            });
        }
        try (KeyValueIterator<String, BufferedAlert> it = buffer.all()) {
            it.forEachRemaining(kv -> run(kv.value.replayRunId).pending.put(kv.value.bufferKey(), kv.value));
        }
        // With no new input, stream time stands still; flush the buffer so the tail of a burst is not held forever.
        // Quiet input with records still waiting upstream is a busy thread, not the end of a burst; past
        // BACKLOG_FLUSH_FACTOR idle periods the buffer is flushed anyway, so a stuck lag reading cannot hold it forever.
        context.schedule(java.time.Duration.ofMillis(500), PunctuationType.WALL_CLOCK_TIME, now -> {
            final long idle = config.idleFlush().toMillis();
            Boolean upstream = null;
            for (final CorrelationRun run : List.copyOf(runs.values())) {
                final long quiet = now - run.lastInputWallClock;
                if (quiet >= idle && !run.pending.isEmpty()) {
                    if (upstream == null) {
                        upstream = backlog.pending();
                    }
                    if (!upstream || quiet >= BACKLOG_FLUSH_FACTOR * idle) {
                        drain(run, Long.MAX_VALUE);
                    }
                }
                if (!run.isLive() && now - run.lastInputWallClock >= RUN_RETENTION.toMillis()) {
                    forget(run);
                }
            }
        });
    }

    private CorrelationRun run(final String runId) {
        return runs.computeIfAbsent(runId == null ? LIVE : runId,
                k -> new CorrelationRun(runId, meta, config, context.currentSystemTimeMs()));
    }

    @Override
    public void process(final Record<String, BufferedAlert> record) {
        if (record.value() == null) {
            return;
        }
        final BufferedAlert alert = record.value();
        final CorrelationRun run = run(alert.replayRunId);
        run.lastInputWallClock = context.currentSystemTimeMs();
        final String key = alert.bufferKey();
        buffer.put(run.storeKey(key), alert);
        run.pending.put(key, alert);
        if (!alert.isAnomaly()) {
            // Only alerts drive the watermark; anomalies ride along and are applied when it passes them.
            run.watermarks.observe(sourcePartition(record), alert.eventTime, run.lastInputWallClock);
        }
        final long watermark = run.watermarks.watermark(run.lastInputWallClock);
        if (watermark != Long.MIN_VALUE) {
            drain(run, watermark - config.grace().toMillis());
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
    private void drain(final CorrelationRun run, final long watermark) {
        if (run.pending.isEmpty() || run.pending.firstEntry().getValue().eventTime > watermark) {
            return;
        }
        final Catalog catalog = catalogs.at(System.currentTimeMillis());
        long latest = Long.MIN_VALUE;
        while (!run.pending.isEmpty() && run.pending.firstEntry().getValue().eventTime <= watermark) {
            final Map.Entry<String, BufferedAlert> next = run.pending.pollFirstEntry();
            // put(null) deletes without reading back the old value, which delete() would deserialise.
            buffer.put(run.storeKey(next.getKey()), null);
            apply(run, next.getValue(), catalog);
            latest = Math.max(latest, next.getValue().eventTime);
        }
        resolveQuiet(run, latest);
    }

    /** Drops an idle replay run's working state; what it emitted stays on the topic. */
    private void forget(final CorrelationRun run) {
        drain(run, Long.MAX_VALUE);
        final List<String> ids = new ArrayList<>();
        try (KeyValueIterator<String, IncidentState> it = incidents.all()) {
            it.forEachRemaining(kv -> {
                if (RunScope.sameRun(run.runId, kv.value.replayRunId)) {
                    ids.add(kv.key);
                }
            });
        }
        ids.forEach(incidents::delete);
        run.watermarks.forget();
        runs.remove(run.runId);
    }

    private void apply(final CorrelationRun run, final BufferedAlert alert, final Catalog catalog) {
        if (alert.isAnomaly()) {
            attach(run, alert, catalog);
            return;
        }
        final boolean firing = AlertStatus.FIRING.name().equals(alert.status);
        IncidentState target = null;
        for (final IncidentState open : run.open.values()) {
            if (open.alerts.containsKey(alert.fingerprint)) {
                target = open;
                break;
            }
        }
        if (target == null && firing) {
            target = nearestOpen(run, alert, catalog);
        }
        if (target == null && firing) {
            final IncidentState resolved = recentlyResolved(run, alert);
            if (resolved != null) {
                resolved.state = "UPDATED";
                resolved.resolvedAt = null;
                run.resolved.remove(resolved.id);
                run.open.put(resolved.id, resolved);
                update(resolved, alert);
                emit(resolved, "reopened");
                return;
            }
        }
        if (target == null) {
            if (firing) {
                emit(openIncident(run, alert), "opened");
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

    private IncidentState nearestOpen(final CorrelationRun run, final BufferedAlert alert, final Catalog catalog) {
        IncidentState best = null;
        int bestHops = Integer.MAX_VALUE;
        for (final IncidentState incident : run.open.values()) {
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
    private void attach(final CorrelationRun run, final BufferedAlert anomaly, final Catalog catalog) {
        final IncidentState incident = nearestOpen(run, anomaly, catalog);
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

    private IncidentState recentlyResolved(final CorrelationRun run, final BufferedAlert alert) {
        IncidentState found = null;
        for (final IncidentState candidate : run.resolved.values()) {
            if (candidate.alerts.containsKey(alert.fingerprint) && candidate.resolvedAt != null
                    && alert.eventTime - candidate.resolvedAt <= config.reopenWindow().toMillis()
                    && (found == null || candidate.resolvedAt > found.resolvedAt)) {
                found = candidate;
            }
        }
        return found;
    }

    private IncidentState openIncident(final CorrelationRun run, final BufferedAlert alert) {
        final IncidentState incident = new IncidentState();
        // The run is part of the id: the same signals replayed twice are two incidents, never one overwritten.
        incident.id = "inc-" + shortHash(RunScope.prefix(run.runId) + alert.fingerprint + "@" + alert.eventTime);
        incident.state = "OPEN";
        incident.title = alert.name + " on " + alert.service;
        incident.severity = alert.severity;
        incident.openedAt = alert.eventTime;
        incident.replayRunId = run.runId;
        incident.traceParent = alert.traceParent;
        run.open.put(incident.id, incident);
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

    private void resolveQuiet(final CorrelationRun run, final long eventTime) {
        forgetClosed(run, eventTime);
        for (final IncidentState incident : List.copyOf(run.open.values())) {
            if (incident.quietSince != null && eventTime - incident.quietSince >= config.resolveDelay().toMillis()) {
                incident.state = "RESOLVED";
                incident.resolvedAt = incident.quietSince;
                run.open.remove(incident.id);
                run.resolved.put(incident.id, incident);
                emit(incident, "resolved");
            }
        }
    }

    /** Resolved incidents past the reopen window can no longer change; their last version stays on the topic. */
    private void forgetClosed(final CorrelationRun run, final long eventTime) {
        final java.util.Iterator<IncidentState> it = run.resolved.values().iterator();
        while (it.hasNext()) {
            final IncidentState incident = it.next();
            if (incident.resolvedAt != null && eventTime - incident.resolvedAt > config.reopenWindow().toMillis()) {
                incidents.put(incident.id, null);
                it.remove();
            }
        }
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
