package aiops.remediator;

import aiops.avro.Severity;
import aiops.remediator.notify.NotificationDesk;
import aiops.remediator.notify.Notices;
import aiops.remediator.store.ActionState;
import aiops.remediator.store.ActionStore;
import aiops.remediator.store.IncidentStore;
import aiops.remediator.store.RemediationAction;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every state change of an action: the guarded move, its audit row and event, and the notice people need. */
public final class ActionJournal {

    private static final Logger LOG = LoggerFactory.getLogger(ActionJournal.class);

    private final NotificationDesk desk;
    private final Function<Collection<String>, Set<String>> owners;

    public ActionJournal(final NotificationDesk desk, final Function<Collection<String>, Set<String>> owners) {
        this.desk = desk;
        this.owners = owners;
    }

    public Function<Collection<String>, Set<String>> owners() {
        return owners;
    }

    public NotificationDesk desk() {
        return desk;
    }

    public Optional<RemediationAction> move(final Connection c, final String actionId, final Set<ActionState> from,
                                            final ActionState to, final String reason, final String actor,
                                            final Instant now) throws SQLException {
        final Optional<RemediationAction> moved = ActionStore.moveTo(c, actionId, from, to, reason, actor, now);
        if (moved.isPresent()) {
            final RemediationAction a = moved.get();
            if (to == ActionState.REFUSED || to == ActionState.FAILED) {
                LOG.warn("remediation {} {} {}: {}", a.actionId(), to, a.describe(), reason);
            } else {
                LOG.info("remediation {} {} {}: {}", a.actionId(), to, a.describe(), reason);
            }
            final Severity severity = IncidentStore.severity(c, a.incidentId()).orElse(Severity.UNKNOWN);
            final var notice = Notices.of(a, to, reason, severity, owners);
            if (notice.isPresent()) {
                desk.offer(c, notice.get(), now);
            }
        }
        return moved;
    }
}
