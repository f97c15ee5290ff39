package aiops.ingest.normalize;

import aiops.avro.LogLevel;
import aiops.avro.LogRecord;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** Log records: {@code {"ts","service","level","message","attributes"?}} or an array of them. */
public final class LogNormalizer {

    public Normalized normalize(final JsonNode body, final SignalContext context) {
        return Normalized.ofLogs(Json.eachObject(body, (log, path) -> record(log, path, context)));
    }

    private static LogRecord record(final JsonNode log, final String path, final SignalContext context) {
        return LogRecord.newBuilder()
                .setEventId(EventIds.next())
                .setService(Json.text(log, "service", path))
                .setTimestamp(Json.notInFuture(Json.instant(log, "ts", path), context.receivedAt(), path + "ts"))
                .setLevel(level(Json.optText(log, "level")))
                .setMessage(Json.text(log, "message", path))
                .setAttributes(Json.stringMap(log, "attributes", path))
                .setReceivedAt(context.receivedAt())
                .setReplayRunId(context.replayRunId())
                .setTraceParent(context.traceParent())
                .build();
    }

    static LogLevel level(final String level) {
        if (level == null) {
            return LogLevel.UNKNOWN;
        }
        switch (level.trim().toUpperCase(Locale.ROOT)) {
            case "TRACE":
                return LogLevel.TRACE;
            case "DEBUG":
                return LogLevel.DEBUG;
            case "INFO", "INFORMATION", "NOTICE":
                return LogLevel.INFO;
            case "WARN", "WARNING":
                return LogLevel.WARN;
            case "ERROR", "ERR", "SEVERE":
                return LogLevel.ERROR;
            case "FATAL", "CRITICAL", "CRIT", "PANIC", "EMERGENCY", "ALERT":
                return LogLevel.FATAL;
            default:
                return LogLevel.UNKNOWN;
        }
    }
}
