package aiops.ledger;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/** Read and admin operations over the ledger: cost summaries, budgets, prices, repricing. */
public final class LedgerQueries {

    /** Grouping of a cost summary. */
    public enum By { MODEL, SERVICE, TEAM, INCIDENT;

        public static By parse(final String s) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (final IllegalArgumentException e) {
                throw new IllegalArgumentException("by must be model, service, team or incident, not '" + s + "'");
            }
        }
    }

    /** One line of a summary. Billed calls exclude cache hits. */
    public record Line(String key, long calls, long billedCalls, long inputTokens, long outputTokens, BigDecimal costUsd) {
    }

    /** A budget and where it stands now. */
    public record Budget(String scope, String period, BigDecimal limitUsd, BigDecimal softRatio, BigDecimal spentUsd) {
    }

    /** One price row. */
    public record Price(long priceId, String provider, String model, BigDecimal input, BigDecimal output,
                        BigDecimal cachedInput, Instant effectiveFrom) {
    }

    private final DataSource db;

    public LedgerQueries(final DataSource db) {
        this.db = db;
    }

    /**
     * Cost since {@code since}, live traffic only, or only the given replay run. Live summaries read the daily
     * rollups (whole UTC days from the day of {@code since}); a replay run is summed from its ledger rows.
     */
    public List<Line> summary(final Instant since, final By by, final String replayRun) throws SQLException {
        final String sql;
        if (replayRun != null) {
            final String column = by == By.INCIDENT ? "incident_id" : by.name().toLowerCase(Locale.ROOT);
            sql = "SELECT coalesce(" + column + ", ''), count(*), count(*) FILTER (WHERE NOT cached), sum(input_tokens),"
                    + " sum(output_tokens), coalesce(sum(cost_usd), 0) FROM llm_usage_ledger"
                    + " WHERE occurred_at >= ? AND replay_run = ? GROUP BY 1 ORDER BY 6 DESC, 1";
        } else if (by == By.INCIDENT) {
            sql = "SELECT incident_id, calls, calls, input_tokens, output_tokens, cost_usd FROM ledger_incident_rollup"
                    + " WHERE NOT is_replay AND last_call_at >= ? ORDER BY cost_usd DESC, incident_id";
        } else {
            final String column = by.name().toLowerCase(Locale.ROOT);
            sql = "SELECT " + column + ", sum(calls), sum(calls - cached_calls), sum(input_tokens), sum(output_tokens),"
                    + " sum(cost_usd) FROM ledger_daily_rollup WHERE NOT is_replay AND day >= ?"
                    + " GROUP BY 1 ORDER BY 6 DESC, 1";
        }
        final List<Line> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            if (replayRun == null && by != By.INCIDENT) {
                st.setObject(1, LocalDate.ofInstant(since, ZoneOffset.UTC));
            } else {
                st.setTimestamp(1, Timestamp.from(since));
            }
            if (replayRun != null) {
                st.setString(2, replayRun);
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new Line(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                            rs.getBigDecimal(6)));
                }
            }
        }
        return out;
    }

    public List<Budget> budgets() throws SQLException {
        final List<Budget> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT scope, period, limit_usd, soft_ratio, spent_usd FROM budget_burn ORDER BY scope, period");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(new Budget(rs.getString(1), rs.getString(2), rs.getBigDecimal(3), rs.getBigDecimal(4),
                        rs.getBigDecimal(5)));
            }
        }
        return out;
    }

    public void putBudget(final String scope, final String period, final BigDecimal limit, final BigDecimal softRatio)
            throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement("""
                INSERT INTO budgets (scope, period, limit_usd, soft_ratio, updated_at) VALUES (?, ?, ?, ?, now())
                ON CONFLICT (scope, period) DO UPDATE SET limit_usd = excluded.limit_usd,
                    soft_ratio = excluded.soft_ratio, updated_at = now()
                """)) {
            st.setString(1, scope);
            st.setString(2, period);
            st.setBigDecimal(3, limit);
            st.setBigDecimal(4, softRatio);
            st.executeUpdate();
        }
    }

    public List<Price> prices() throws SQLException {
        final List<Price> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT price_id, provider, model, input_per_million_usd, output_per_million_usd,"
                        + " cached_input_per_million_usd, effective_from FROM model_prices"
                        + " ORDER BY provider, model, effective_from");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(new Price(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBigDecimal(4),
                        rs.getBigDecimal(5), rs.getBigDecimal(6), rs.getTimestamp(7).toInstant()));
            }
        }
        return out;
    }

    /** Appends a price; rows already priced keep theirs until {@link #reprice}. */
    public void setPrice(final String provider, final String model, final BigDecimal input, final BigDecimal output,
                         final BigDecimal cachedInput, final Instant effectiveFrom) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
                "INSERT INTO model_prices (provider, model, input_per_million_usd, output_per_million_usd,"
                        + " cached_input_per_million_usd, effective_from) VALUES (?, ?, ?, ?, ?, ?)")) {
            st.setString(1, provider);
            st.setString(2, model);
            st.setBigDecimal(3, input);
            st.setBigDecimal(4, output);
            st.setBigDecimal(5, cachedInput);
            st.setTimestamp(6, Timestamp.from(effectiveFrom));
            st.executeUpdate();
        }
    }

    /**
     * Appends a correction row for every original row since {@code since} whose cost differs from what the price in
     * force at its time now gives (a price added late, or one that was missing): zero tokens, the cost difference,
     * {@code corrects_usage_id} naming the original. Returns how many corrections were appended.
     */
    public int reprice(final Instant since) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(Reprice.SQL)) {
            st.setTimestamp(1, Timestamp.from(since));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
