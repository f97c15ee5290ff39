package aiops.remediator.notify;

import aiops.avro.Analysis;
import aiops.avro.Hypothesis;
import aiops.avro.Incident;
import aiops.avro.IncidentState;
import aiops.avro.NotificationEvent;
import aiops.avro.Severity;
import aiops.common.redact.Redactor;
import aiops.remediator.store.ActionState;
import aiops.remediator.store.RemediationAction;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The notices of each incident state change: opened (and reopened), analysed, action waiting for approval, action
 * applied or failed, resolved. Keys make each change one message however often its record is read. Every text passes
 * the redactor: alert text can carry secrets, and a notification leaves the system.
 */
public final class Notices {

    private Notices() {
    }

    /** Opened, reopened or resolved; empty for other versions (new services and anomalies are not worth a page). */
    public static Optional<Notice> of(final Incident i, final Function<Collection<String>, Set<String>> owners) {
        final String reason = i.getChangeReason();
        final String kind;
        if (i.getState() == IncidentState.RESOLVED) {
            kind = "incident_resolved";
        } else if ("opened".equals(reason) || "reopened".equals(reason) || i.getVersion() == 1) {
            kind = "incident_opened";
        } else {
            return Optional.empty();
        }
        final String verb = kind.equals("incident_resolved") ? "resolved" : reason.equals("reopened") ? "reopened" : "opened";
        final String body = "Services: " + String.join(", ", i.getServices()) + "\nAlerts: " + i.getAlerts().size()
                + ", anomalies: " + i.getAnomalies().size() + "\nIncident " + i.getIncidentId() + " v" + i.getVersion();
        return Optional.of(new Notice(kind + ":" + i.getIncidentId() + ":" + i.getVersion(), i.getIncidentId(), kind,
                i.getSeverity(), clean("Incident " + verb + ": " + i.getTitle()), clean(body),
                owners.apply(i.getServices()), i.getReplayRunId(), i.getTraceParent()));
    }

    /** @param services the incident's services; with the hypotheses' and actions' services they decide the owners */
    public static Notice of(final Analysis a, final Severity severity, final Collection<String> services,
                            final Function<Collection<String>, Set<String>> owners) {
        final StringBuilder body = new StringBuilder(a.getSummary());
        for (final Hypothesis h : a.getHypotheses().subList(0, Math.min(3, a.getHypotheses().size()))) {
            body.append('\n').append(h.getRank()).append(". ").append(h.getService()).append(": ").append(h.getFault())
                    .append(String.format(Locale.ROOT, " (%.0f%%)", h.getConfidence() * 100));
        }
        body.append("\nAnalyst: ").append(a.getAnalyst()).append(a.getDegraded() ? " (degraded: "
                + a.getDegradedReason() + ")" : "");
        final String top = a.getHypotheses().isEmpty() ? "no hypothesis" : a.getHypotheses().get(0).getService() + " "
                + a.getHypotheses().get(0).getFault();
        return new Notice("analysis_ready:" + a.getAnalysisId(), a.getIncidentId(), "analysis_ready", severity,
                clean("Root cause for " + a.getIncidentId() + ": " + top), clean(body.toString()),
                owners.apply(concerned(a, services)), a.getReplayRunId(), a.getTraceParent());
    }

    private static Set<String> concerned(final Analysis a, final Collection<String> services) {
        final Set<String> out = new java.util.LinkedHashSet<>(services);
        a.getHypotheses().forEach(h -> out.add(h.getService()));
        a.getActions().forEach(x -> out.add(x.getService()));
        return out;
    }

    /** Waiting for approval, applied or failed; empty for the other states. */
    public static Optional<Notice> of(final RemediationAction a, final ActionState state, final String reason,
                                      final Severity severity, final Function<Collection<String>, Set<String>> owners) {
        final String kind = switch (state) {
            case PENDING_APPROVAL -> "approval_needed";
            case APPLIED, FAILED -> "remediation";
            default -> null;
        };
        if (kind == null) {
            return Optional.empty();
        }
        final String title = switch (state) {
            case PENDING_APPROVAL -> "Approval needed: " + a.describe();
            case APPLIED -> "Applied: " + a.describe();
            default -> "Failed: " + a.describe();
        };
        final String body = reason + "\nAction " + a.actionId() + " for incident " + a.incidentId()
                + (state == ActionState.PENDING_APPROVAL ? "\nApprove: aiops remediations approve " + a.actionId()
                + "  (expires " + a.expiresAt() + ")" : "");
        return Optional.of(new Notice(kind + ":" + a.actionId() + ":" + state.name(), a.incidentId(), kind, severity,
                clean(title), clean(body), owners.apply(Set.of(a.service())), a.replayRun(), a.traceParent()));
    }

    /** A budget notice from the ledger, routed like any other. */
    public static Notice of(final NotificationEvent budget) {
        final String scope = budget.getTitle();
        final Set<String> owners = scope != null && scope.contains("team:")
                ? Set.of(scope.substring(scope.indexOf("team:") + 5).split("[\\s/]")[0]) : Set.of();
        return new Notice(budget.getKind() + ":" + budget.getNotificationId(), budget.getIncidentId(), budget.getKind(),
                budget.getSeverity(), clean(budget.getTitle()), clean(budget.getBody()), owners,
                budget.getReplayRunId(), budget.getTraceParent());
    }

    private static String clean(final String text) {
        return Redactor.redact(text == null ? "" : text);
    }
}
