package aiops.remediator.plan;

import aiops.avro.ActionType;
import aiops.avro.Forecast;
import aiops.avro.ProposedAction;
import aiops.avro.ReplicaRecommendation;
import aiops.avro.ServiceEntry;
import aiops.avro.Severity;
import aiops.remediator.ActionJournal;
import aiops.remediator.store.ActionState;
import aiops.remediator.store.ActionStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code aiops.forecasts} replica recommendations into judged {@code scale_deployment} proposals, in the transaction
 * that stores the consumer offsets. A proposal goes through the same planner and policy as an analyst's: the
 * forecaster never acts, and a target outside the policy's bounds is refused with its reason. The executor compares
 * the target with the live count. Against flapping with the daily cycle, a service is proposed a larger target as
 * soon as it is forecast, a smaller one only once it is at least a quarter (and one replica) below the last proposal.
 */
public final class CapacityIntake {

    /** Prefix of the incident id capacity proposals are filed under. */
    public static final String INCIDENT_PREFIX = "capacity:";

    private final ActionPlanner planner;
    private final ActionJournal journal;
    private final Function<String, ServiceEntry> catalog;

    public CapacityIntake(final ActionPlanner planner, final ActionJournal journal,
                          final Function<String, ServiceEntry> catalog) {
        this.planner = planner;
        this.journal = journal;
        this.catalog = catalog;
    }

    public void write(final Connection c, final List<Forecast> forecasts) throws SQLException {
        final Instant now = Instant.now();
        for (final Forecast f : forecasts) {
            final ReplicaRecommendation r = f.getRecommendation();
            if (r == null) {
                continue;
            }
            final String run = f.getReplayRunId() == null ? "" : f.getReplayRunId();
            if (!changed(c, run, f, r.getTarget())) {
                continue;
            }
            final ProposedAction proposed = new ProposedAction(ActionType.SCALE_DEPLOYMENT, f.getService(),
                    Map.of("replicas", Integer.toString(r.getTarget())), String.format(Locale.ROOT,
                    "%s forecast (%s) needs %d replicas over the next %d h at %.0f per replica with %.0f%% headroom",
                    f.getMetric(), f.getMethod(), r.getTarget(), r.getLeadHours(), r.getQpsPerReplica(),
                    100 * r.getHeadroom()), 0);
            final int version = (int) (f.getOrigin().toEpochMilli() / 3_600_000L);
            final ActionPlanner.Origin origin = new ActionPlanner.Origin(INCIDENT_PREFIX + f.getService(),
                    f.getForecastId(), version, "forecast", f.getReplayRunId(), null);
            final var history = ActionStore.history(c, now.minus(Duration.ofHours(1)));
            final ActionPlanner.Judged judged = planner.judge(origin, proposed, Severity.INFO, catalog, history, now);
            if (ActionStore.insert(c, judged.action())) {
                journal.move(c, judged.action().actionId(), Set.of(ActionState.PLANNED), judged.state(),
                        judged.reason(), "policy", now);
            }
        }
    }

    /** Up at once; down only by at least a quarter and one replica. */
    static boolean worthProposing(final int last, final int target) {
        return target > last || target <= last - Math.max(1, (int) Math.ceil(last / 4.0));
    }

    /** Records the target when it is the first for the service or worth proposing after the last one; true then. */
    private static boolean changed(final Connection c, final String run, final Forecast f, final int target)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT replicas, origin FROM remediator_capacity_proposals"
                + " WHERE run_id = ? AND service = ?")) {
            st.setString(1, run);
            st.setString(2, f.getService());
            try (ResultSet rs = st.executeQuery()) {
                if (rs.next() && (!rs.getTimestamp(2).toInstant().isBefore(f.getOrigin())
                        || !worthProposing(rs.getInt(1), target))) {
                    return false;
                }
            }
        }
        try (PreparedStatement st = c.prepareStatement("INSERT INTO remediator_capacity_proposals (run_id, service,"
                + " replicas, forecast_id, origin) VALUES (?, ?, ?, ?, ?) ON CONFLICT (run_id, service) DO UPDATE SET"
                + " replicas = excluded.replicas, forecast_id = excluded.forecast_id, origin = excluded.origin,"
                + " proposed_at = now()")) {
            st.setString(1, run);
            st.setString(2, f.getService());
            st.setInt(3, target);
            st.setString(4, f.getForecastId());
            st.setTimestamp(5, Timestamp.from(f.getOrigin()));
            st.executeUpdate();
        }
        return true;
    }
}
