package aiops.analyzer.worker;

import aiops.avro.Incident;
import aiops.avro.Severity;
import java.util.TreeSet;

/**
 * What makes two versions of an incident worth a separate analysis: the services, the highest severity, the alert
 * names and the anomaly kinds per service. Status changes, repeat counts and newer timestamps are not material.
 */
public final class IncidentSignature {

    private IncidentSignature() {
    }

    public static String of(final Incident incident) {
        final TreeSet<String> parts = new TreeSet<>();
        incident.getServices().forEach(s -> parts.add("s:" + s));
        incident.getAlerts().forEach(a -> parts.add("a:" + a.getService() + "/" + a.getName()));
        incident.getAnomalies().forEach(a -> parts.add("n:" + a.getService() + "/" + a.getKind()));
        return "sev:" + incident.getSeverity() + ";" + String.join(";", parts);
    }

    /** Lower is more severe: CRITICAL ranks 0. */
    public static int rank(final Severity severity) {
        return severity.ordinal();
    }

    public static Severity severityOf(final String signature) {
        if (signature == null || !signature.startsWith("sev:")) {
            return Severity.UNKNOWN;
        }
        return Severity.valueOf(signature.substring(4, signature.indexOf(';') < 0 ? signature.length() : signature.indexOf(';')));
    }
}
