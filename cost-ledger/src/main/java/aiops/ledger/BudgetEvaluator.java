package aiops.ledger;

import aiops.avro.BudgetState;
import aiops.avro.BudgetStatus;
import aiops.avro.NotificationEvent;
import aiops.avro.NotificationStatus;
import aiops.avro.Severity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Spend against every budget in its current period (UTC day or month), from the daily rollup with replay runs left
 * out. Pure reading: the caller publishes the states and the notices.
 */
final class BudgetEvaluator {

    /** One budget's standing, and the notice it calls for (null when none). */
    record Standing(BudgetState state, String noticeLevel) {
    }

    static final String SPENT = """
            SELECT b.scope, b.period, b.limit_usd, b.soft_ratio,
                   coalesce((SELECT sum(r.cost_usd) FROM ledger_daily_rollup r
                             WHERE NOT r.is_replay AND r.day >= (CASE WHEN b.period = 'day' THEN ?::date ELSE ?::date END)
                               AND (b.scope = 'global' OR b.scope = 'team:' || r.team
                                    OR b.scope = 'service:' || r.service OR b.scope = 'model:' || r.model)), 0)
            FROM budgets b ORDER BY b.scope, b.period
            """;

    private final Clock clock;

    BudgetEvaluator(final Clock clock) {
        this.clock = clock;
    }

    List<Standing> evaluate(final Connection c) throws SQLException {
        final Instant now = clock.instant();
        final LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        final LocalDate monthStart = today.withDayOfMonth(1);
        final List<Standing> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(SPENT)) {
            st.setObject(1, today);
            st.setObject(2, monthStart);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    final String period = rs.getString(2);
                    final BigDecimal limit = rs.getBigDecimal(3).setScale(10, RoundingMode.HALF_UP);
                    final double softRatio = rs.getBigDecimal(4).doubleValue();
                    final BigDecimal spent = rs.getBigDecimal(5).setScale(10, RoundingMode.HALF_UP);
                    final BudgetStatus status = spent.compareTo(limit) >= 0 ? BudgetStatus.HARD_EXCEEDED
                            : spent.compareTo(limit.multiply(BigDecimal.valueOf(softRatio))) >= 0
                            ? BudgetStatus.SOFT_EXCEEDED : BudgetStatus.OK;
                    final Instant start = (period.equals("day") ? today : monthStart).atStartOfDay(ZoneOffset.UTC)
                            .toInstant();
                    out.add(new Standing(BudgetState.newBuilder().setScope(rs.getString(1)).setPeriod(period)
                            .setPeriodStart(start).setLimitUsd(limit).setSpentUsd(spent).setSoftRatio(softRatio)
                            .setState(status).setUpdatedAt(now.truncatedTo(ChronoUnit.MILLIS)).build(),
                            status == BudgetStatus.HARD_EXCEEDED ? "hard"
                                    : status == BudgetStatus.SOFT_EXCEEDED ? "soft" : null));
                }
            }
        }
        return out;
    }

    /** True when this notice has not been recorded for the budget's period yet. */
    static boolean noticeDue(final Connection c, final BudgetState state, final String level) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM budget_notices WHERE scope = ? AND period = ? "
                + "AND period_start = ? AND level = ?")) {
            st.setString(1, state.getScope());
            st.setString(2, state.getPeriod());
            st.setTimestamp(3, Timestamp.from(state.getPeriodStart()));
            st.setString(4, level);
            try (ResultSet rs = st.executeQuery()) {
                return !rs.next();
            }
        }
    }

    static void recordNotice(final Connection c, final BudgetState state, final String level) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO budget_notices (scope, period, period_start, level, "
                + "spent_usd) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            st.setString(1, state.getScope());
            st.setString(2, state.getPeriod());
            st.setTimestamp(3, Timestamp.from(state.getPeriodStart()));
            st.setString(4, level);
            st.setBigDecimal(5, state.getSpentUsd());
            st.executeUpdate();
        }
    }

    /** The notice, with an id fixed by budget, period and level so that a re-sent one is recognised. */
    static NotificationEvent notice(final BudgetState state, final String level) {
        final int percent = state.getSpentUsd().multiply(BigDecimal.valueOf(100))
                .divide(state.getLimitUsd(), 0, RoundingMode.DOWN).intValue();
        return NotificationEvent.newBuilder()
                .setNotificationId("budget:" + state.getScope() + ":" + state.getPeriod() + ":"
                        + state.getPeriodStart() + ":" + level)
                .setKind(level.equals("hard") ? "budget_hard" : "budget_soft").setChannel("default")
                .setSeverity(level.equals("hard") ? Severity.CRITICAL : Severity.WARNING)
                .setTitle(String.format(Locale.ROOT, "LLM budget %s (%s) at %d%%", state.getScope(), state.getPeriod(),
                        percent))
                .setBody(String.format(Locale.ROOT, "Spent %s USD of %s USD this %s (since %s). %s",
                        state.getSpentUsd().stripTrailingZeros().toPlainString(),
                        state.getLimitUsd().stripTrailingZeros().toPlainString(), state.getPeriod(),
                        state.getPeriodStart(), level.equals("hard")
                                ? "Analyses now use the offline analyst until the period ends or the limit is raised."
                                : "Analyses now use the cheaper models where configured."))
                .setStatus(NotificationStatus.PENDING).setOccurredAt(state.getUpdatedAt()).build();
    }
}
