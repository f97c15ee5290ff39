package aiops.remediator.plan;

import aiops.avro.Analysis;
import aiops.avro.ProposedAction;
import aiops.avro.ServiceEntry;
import aiops.avro.Severity;
import aiops.remediator.ActionJournal;
import aiops.remediator.notify.Notices;
import aiops.remediator.store.ActionState;
import aiops.remediator.store.ActionStore;
import aiops.remediator.store.IncidentStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code aiops.analyses} into judged actions, in the transaction that stores the consumer offsets: each proposed
 * action is recorded once (its id is its idempotency key) with the policy's verdict, and the analysis is announced.
 */
public final class AnalysisIntake {

    private static final Logger LOG = LoggerFactory.getLogger(AnalysisIntake.class);
    /** How long an analysis may wait for its incident to reach this process before it is judged without severity. */
    private static final Duration INCIDENT_WAIT = Duration.ofSeconds(60);

    private final ActionPlanner planner;
    private final ActionJournal journal;
    private final Function<String, ServiceEntry> catalog;

    public AnalysisIntake(final ActionPlanner planner, final ActionJournal journal,
                          final Function<String, ServiceEntry> catalog) {
        this.planner = planner;
        this.journal = journal;
        this.catalog = catalog;
    }

    public void write(final Connection c, final List<Analysis> analyses) throws SQLException {
        final Instant now = Instant.now();
        for (final Analysis a : analyses) {
            final Optional<Severity> known = IncidentStore.severity(c, a.getIncidentId());
            if (known.isEmpty() && a.getCreatedAt().isAfter(now.minus(INCIDENT_WAIT))) {
                // The incidents consumer is behind this one: retry the batch rather than judge with less than we know.
                throw new SQLException("incident " + a.getIncidentId() + " not seen yet; retrying");
            }
            final Severity severity = known.orElse(Severity.UNKNOWN);
            journal.desk().offer(c, Notices.of(a, severity, IncidentStore.services(c, a.getIncidentId()),
                    journal.owners()), now);
            for (final ProposedAction proposed : a.getActions()) {
                final var history = ActionStore.history(c, now.minus(Duration.ofHours(1)));
                final ActionPlanner.Judged judged = planner.judge(a, proposed, severity, catalog, history, now);
                if (!ActionStore.insert(c, judged.action())) {
                    continue;
                }
                journal.move(c, judged.action().actionId(), Set.of(ActionState.PLANNED), judged.state(),
                        judged.reason(), "policy", now);
                LOG.debug("{} {} -> {}", judged.action().actionId(), judged.action().describe(), judged.state());
            }
        }
    }
}
