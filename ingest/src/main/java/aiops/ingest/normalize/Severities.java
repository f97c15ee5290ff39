package aiops.ingest.normalize;

import aiops.avro.Severity;
import java.util.Locale;

/** Maps the many severity vocabularies of alert sources onto {@link Severity}. */
public final class Severities {

    private Severities() {
    }

    public static Severity parse(final String sourceSeverity) {
        if (sourceSeverity == null) {
            return Severity.UNKNOWN;
        }
        switch (sourceSeverity.trim().toLowerCase(Locale.ROOT)) {
            case "critical", "crit", "fatal", "disaster", "emergency", "alert", "p1", "sev1", "sev-1", "page":
                return Severity.CRITICAL;
            case "high", "error", "err", "major", "p2", "sev2", "sev-2":
                return Severity.HIGH;
            case "warning", "warn", "medium", "minor", "average", "p3", "sev3", "sev-3":
                return Severity.WARNING;
            case "info", "information", "informational", "low", "notice", "ok", "success", "none", "p4", "p5":
                return Severity.INFO;
            default:
                return Severity.UNKNOWN;
        }
    }
}
