package aiops.remediator.plan;

import aiops.avro.ProposedAction;
import aiops.avro.RemediationProposal;
import aiops.avro.ServiceEntry;
import aiops.avro.Severity;
import aiops.remediator.ActionJournal;
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

/**
 * {@code aiops.remediation.proposals} (actions people proposed through MCP) into judged actions, in the transaction
 * that stores the consumer offsets. The proposal is filed under the incident's current version, so proposing the
 * same action twice for the same state of an incident is one action; the policy decides, an {@code auto} rule only
 * queues it for approval, and an unknown incident or a replay's incident leaves it refused or dry-run.
 */
public final class ProposalIntake {

    private final ActionPlanner planner;
    private final ActionJournal journal;
    private final Function<String, ServiceEntry> catalog;

    public ProposalIntake(final ActionPlanner planner, final ActionJournal journal,
                          final Function<String, ServiceEntry> catalog) {
        this.planner = planner;
        this.journal = journal;
        this.catalog = catalog;
    }

    public void write(final Connection c, final List<RemediationProposal> proposals) throws SQLException {
        final Instant now = Instant.now();
        for (final RemediationProposal p : proposals) {
            final Optional<IncidentStore.Known> known = IncidentStore.known(c, p.getIncidentId());
            final ProposedAction proposed = new ProposedAction(p.getActionType(), p.getService(),
                    p.getParameters(), p.getRationale(), 0);
            final ActionPlanner.Origin origin = new ActionPlanner.Origin(p.getIncidentId(), p.getProposalId(),
                    known.map(IncidentStore.Known::version).orElse(0), "mcp:" + p.getProposedBy(),
                    known.map(IncidentStore.Known::replayRun).orElse(null), p.getTraceParent());
            final var history = ActionStore.history(c, now.minus(Duration.ofHours(1)));
            ActionPlanner.Judged judged = planner.judgeProposal(origin, proposed,
                    known.map(IncidentStore.Known::severity).orElse(Severity.INFO), catalog, history, now);
            if (known.isEmpty()) {
                judged = new ActionPlanner.Judged(judged.action(), ActionState.REFUSED,
                        "incident " + p.getIncidentId() + " is not known to the remediator");
            }
            if (ActionStore.insert(c, judged.action())) {
                journal.move(c, judged.action().actionId(), Set.of(ActionState.PLANNED), judged.state(),
                        judged.reason(), "policy", now);
            }
        }
    }
}
