package aiops.ingest.streams;

import aiops.avro.AlertEvent;
import aiops.avro.AlertStatus;
import aiops.avro.EnrichedAlert;
import aiops.avro.ServiceEntry;
import aiops.avro.Severity;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Enriches each alert status change from the catalogue and deduplicates by fingerprint: a repeat of the same status
 * inside the dedup window is absorbed and counted; a status change always passes; enough flips inside the flap window
 * mark the alert as flapping. Keyed by fingerprint, so one fingerprint's history lives in one task. Absorbed repeats
 * are forwarded too, with repeat count {@link #ABSORBED}, for the correlator; the topology filters them out of
 * {@code aiops.alerts.enriched}. Output records carry processing time as their Kafka timestamp (event time is in the
 * value): a replay of last month must not be deleted by retention at once, and a clock far in the future must not
 * be refused by the broker. A fingerprint unseen for the dedup retention is forgotten ({@link DedupExpiry}).
 */
final class AlertDeduplicator implements Processor<String, AlertEvent, String, EnrichedAlert> {

    static final String STORE = "aiops-dedup-store";
    /** Repeat count of a forwarded record that was absorbed; such records never reach {@code aiops.alerts.enriched}. */
    static final int ABSORBED = 0;
    /** Header naming the {@code aiops.alerts.raw} partition a forwarded record came from. */
    static final String SOURCE_PARTITION_HEADER = "aiops-source-partition";

    private final StreamsConfigKeys config;
    private final DedupExpiry expiry;
    private ProcessorContext<String, EnrichedAlert> context;
    private KeyValueStore<String, DedupState> state;
    private Catalog.Cached catalog;

    AlertDeduplicator(final StreamsConfigKeys config) {
        this.config = config;
        this.expiry = new DedupExpiry(config.dedupRetention());
    }

    @Override
    public void init(final ProcessorContext<String, EnrichedAlert> context) {
        this.context = context;
        this.state = context.getStateStore(STORE);
        this.catalog = new Catalog.Cached(context.getStateStore(Catalog.STORE));
        expiry.init(context.getStateStore(DedupExpiry.INDEX_STORE));
        context.schedule(expiry.sweepInterval(), PunctuationType.WALL_CLOCK_TIME, now -> expiry.sweep(now, state));
    }

    @Override
    public void process(final Record<String, AlertEvent> input) {
        final AlertEvent alert = input.value();
        if (alert == null) {
            return;
        }
        final Record<String, AlertEvent> record = input.withHeaders(tagged(input));
        final long t = alert.getEventTime().toEpochMilli();
        final String status = alert.getStatus().name();
        // A replayed alert never counts as a repeat of the live one with its fingerprint, nor of another run's.
        final String key = RunScope.key(alert.getReplayRunId(), alert.getFingerprint());
        DedupState s = state.get(key);
        final boolean fresh = s == null;
        if (fresh) {
            s = new DedupState();
            s.firstSeen = t;
        }
        expiry.touch(key, s, fresh, context.currentSystemTimeMs());
        if (!fresh && status.equals(s.status) && Math.abs(t - s.lastEmitted) < config.dedupWindow().toMillis()) {
            s.absorbed++;
            s.lastSeen = Math.max(s.lastSeen, t);
            state.put(key, s);
            // Still forwarded, marked as absorbed: correlation must see every signal to stay order-independent.
            context.forward(record.withValue(enrich(alert, s, ABSORBED)).withTimestamp(context.currentSystemTimeMs()));
            return;
        } else if (!fresh && !status.equals(s.status)) {
            s.flips.add(t);
        }
        final long horizon = t - config.flapWindow().toMillis();
        s.flips.removeIf(flip -> flip < horizon);
        if (!fresh && AlertStatus.FIRING.name().equals(status) && AlertStatus.RESOLVED.name().equals(s.status)
                && s.flips.size() < config.flapFlips()) {
            s.firstSeen = t;
        }
        final int repeats = s.absorbed + 1;
        s.status = status;
        s.lastSeen = Math.max(s.lastSeen, t);
        s.lastEmitted = t;
        s.absorbed = 0;
        state.put(key, s);
        context.forward(record.withValue(enrich(alert, s, repeats)).withTimestamp(context.currentSystemTimeMs()));
    }

    /** Marks the record with the raw partition it came from; the correlator keeps an event-time watermark per partition. */
    private org.apache.kafka.common.header.Headers tagged(final Record<String, AlertEvent> record) {
        final org.apache.kafka.common.header.Headers headers = new org.apache.kafka.common.header.internals.RecordHeaders(
                record.headers().toArray());
        headers.remove(SOURCE_PARTITION_HEADER);
        context.recordMetadata().ifPresent(m -> headers.add(SOURCE_PARTITION_HEADER,
                Integer.toString(m.partition()).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return headers;
    }

    private EnrichedAlert enrich(final AlertEvent alert, final DedupState s, final int repeats) {
        final String service = alert.getService() == null ? "unknown" : alert.getService();
        final Optional<ServiceEntry> entry = catalog.at(context.currentSystemTimeMs()).get(service);
        return EnrichedAlert.newBuilder()
                .setAlert(alert)
                .setService(service)
                .setOwner(entry.map(ServiceEntry::getOwner).orElse(null))
                .setTeam(entry.map(e -> e.getTeam() != null ? e.getTeam() : e.getOwner()).orElse(null))
                .setTier(entry.map(ServiceEntry::getTier).orElse(null))
                .setRunbook(entry.map(ServiceEntry::getRunbook).orElse(null))
                .setKubernetes(entry.map(ServiceEntry::getKubernetes).orElse(null))
                .setSeverity(severity(alert.getSeverity(), entry))
                .setRepeatCount(repeats)
                .setFlapping(s.flips.size() >= config.flapFlips())
                .setFirstSeen(Instant.ofEpochMilli(s.firstSeen))
                .setLastSeen(Instant.ofEpochMilli(s.lastSeen))
                .build();
    }

    /** A source without a usable severity gets one from the service's tier. */
    static Severity severity(final Severity given, final Optional<ServiceEntry> entry) {
        if (given != Severity.UNKNOWN) {
            return given;
        }
        return entry.map(e -> e.getTier() <= 1 ? Severity.HIGH : Severity.WARNING).orElse(Severity.WARNING);
    }
}
