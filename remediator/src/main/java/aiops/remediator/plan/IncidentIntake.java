package aiops.remediator.plan;

import aiops.avro.Incident;
import aiops.remediator.ActionJournal;
import aiops.remediator.notify.Notices;
import aiops.remediator.store.IncidentStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** {@code aiops.incidents}: remembers each incident's latest version and announces openings and resolutions. */
public final class IncidentIntake {

    private final ActionJournal journal;

    public IncidentIntake(final ActionJournal journal) {
        this.journal = journal;
    }

    public void write(final Connection c, final List<Incident> incidents) throws SQLException {
        final Instant now = Instant.now();
        for (final Incident i : incidents) {
            if (IncidentStore.upsert(c, i)) {
                final var notice = Notices.of(i, journal.owners());
                if (notice.isPresent()) {
                    journal.desk().offer(c, notice.get(), now);
                }
            }
        }
    }
}
