package aiops.app.runtime;

import aiops.avro.AlertEvent;
import aiops.common.kafka.KafkaSettings;
import aiops.ingest.normalize.Normalized;
import aiops.ingest.normalize.SignalContext;
import aiops.ingest.normalize.SignalKind;
import aiops.ingest.publish.SignalPublisher;
import aiops.ingest.scenario.Scenario;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Feeds scenario signals through the receivers' normalisers onto the raw topics, as fast as Kafka acknowledges. */
public final class ScenarioFeeder {

    private ScenarioFeeder() {
    }

    /** What was fed: acknowledged record count, the alert records, and signals per kind. */
    public record Fed(int signals, int acknowledged, List<AlertEvent> alerts, Map<String, Integer> byKind) {
    }

    /** @param replayRunId stamped on every record and header, or {@code null} for live-equivalent traffic */
    public static Fed feed(final KafkaSettings kafka, final List<Scenario.Signal> signals, final String replayRunId) {
        final List<AlertEvent> alerts = new ArrayList<>();
        final Map<String, Integer> byKind = new TreeMap<>();
        int acknowledged = 0;
        try (SignalPublisher publisher = new SignalPublisher(kafka, "aiops-feed")) {
            for (final Scenario.Signal signal : signals) {
                final SignalContext context = new SignalContext(Instant.now(), replayRunId, null);
                final Normalized records = SignalKind.parse(signal.kind()).normalize(signal.body(), context);
                acknowledged += publisher.publish(records, context);
                alerts.addAll(records.alerts());
                byKind.merge(signal.kind(), 1, Integer::sum);
            }
        }
        return new Fed(signals.size(), acknowledged, alerts, byKind);
    }
}
