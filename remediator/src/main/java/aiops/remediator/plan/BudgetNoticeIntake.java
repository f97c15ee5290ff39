package aiops.remediator.plan;

import aiops.avro.NotificationEvent;
import aiops.avro.NotificationStatus;
import aiops.remediator.notify.NotificationDesk;
import aiops.remediator.notify.Notices;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Notices other processes put on {@code aiops.notifications} for delivery (the ledger's budget notices, status
 * PENDING); the delivery outcomes this process writes to the same topic are not PENDING and pass by.
 */
public final class BudgetNoticeIntake {

    private final NotificationDesk desk;

    public BudgetNoticeIntake(final NotificationDesk desk) {
        this.desk = desk;
    }

    public void write(final Connection c, final List<NotificationEvent> events) throws SQLException {
        final Instant now = Instant.now();
        for (final NotificationEvent e : events) {
            if (e.getStatus() == NotificationStatus.PENDING && e.getKind().startsWith("budget_")) {
                desk.offer(c, Notices.of(e), now);
            }
        }
    }
}
