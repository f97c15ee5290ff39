package aiops.ingest.normalize;

import aiops.avro.AlertEvent;
import aiops.avro.LogRecord;
import aiops.avro.MetricWindow;
import java.util.List;

/** What one payload became: records for the three raw topics. */
public record Normalized(List<AlertEvent> alerts, List<LogRecord> logs, List<MetricWindow> metrics) {

    public static Normalized ofAlerts(final List<AlertEvent> alerts) {
        return new Normalized(List.copyOf(alerts), List.of(), List.of());
    }

    public static Normalized ofLogs(final List<LogRecord> logs) {
        return new Normalized(List.of(), List.copyOf(logs), List.of());
    }

    public static Normalized ofMetrics(final List<MetricWindow> metrics) {
        return new Normalized(List.of(), List.of(), List.copyOf(metrics));
    }

    public int size() {
        return alerts.size() + logs.size() + metrics.size();
    }
}
