package aiops.forecast.store;

import aiops.avro.MetricWindow;
import aiops.forecast.model.HourShare;
import aiops.forecast.model.HourlyHistory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Hourly history per series in PostgreSQL. Windows are re-bucketed by overlap and merged into the hour rows
 * (weights add, min/max widen) inside the consumer's transaction, so a crash never counts a window twice and late
 * or out-of-order windows land where they belong. Hours older than the retention, counted back from the series'
 * newest window, are deleted as the series moves on; windows that old are dropped on arrival.
 */
public final class MetricHistory {

    /** One series row and where its forecasting stands. */
    public record Series(long id, SeriesKey key, String unit, Instant newestEnd, Instant forecastOrigin,
                         boolean exhaustionFiring) {

        /** Start of the hour after the last complete one: the origin the next forecast starts from. */
        public long dueOriginHour() {
            return Math.floorDiv(newestEnd.toEpochMilli(), HourlyHistory.HOUR_MS);
        }
    }

    private final int retentionDays;

    public MetricHistory(final int retentionDays) {
        this.retentionDays = retentionDays;
    }

    /** Merges a batch of windows; returns how many were too old to keep. */
    public int merge(final Connection c, final List<MetricWindow> windows) throws SQLException {
        final Map<SeriesKey, List<MetricWindow>> bySeries = new LinkedHashMap<>();
        for (final MetricWindow w : windows) {
            bySeries.computeIfAbsent(new SeriesKey(w.getReplayRunId(), w.getService(), w.getMetric()),
                    k -> new ArrayList<>()).add(w);
        }
        int dropped = 0;
        try (PreparedStatement upsertSeries = c.prepareStatement("INSERT INTO forecast_series (run_id, service, metric,"
                + " unit, newest_end) VALUES (?, ?, ?, ?, ?) ON CONFLICT (run_id, service, metric) DO UPDATE SET"
                + " newest_end = GREATEST(forecast_series.newest_end, excluded.newest_end),"
                + " unit = COALESCE(excluded.unit, forecast_series.unit), updated_at = now()"
                + " RETURNING series_id, newest_end");
             PreparedStatement upsertHour = c.prepareStatement("INSERT INTO forecast_history (series_id, hour_start,"
                     + " seconds, weighted_sum, min_value, max_value) VALUES (?, ?, ?, ?, ?, ?)"
                     + " ON CONFLICT (series_id, hour_start) DO UPDATE SET"
                     + " seconds = forecast_history.seconds + excluded.seconds,"
                     + " weighted_sum = forecast_history.weighted_sum + excluded.weighted_sum,"
                     + " min_value = LEAST(forecast_history.min_value, excluded.min_value),"
                     + " max_value = GREATEST(forecast_history.max_value, excluded.max_value)");
             PreparedStatement expire = c.prepareStatement(
                     "DELETE FROM forecast_history WHERE series_id = ? AND hour_start < ?")) {
            for (final Map.Entry<SeriesKey, List<MetricWindow>> e : bySeries.entrySet()) {
                final SeriesKey key = e.getKey();
                Instant newest = Instant.EPOCH;
                String unit = null;
                for (final MetricWindow w : e.getValue()) {
                    newest = w.getWindowEnd().isAfter(newest) ? w.getWindowEnd() : newest;
                    unit = w.getUnit() != null ? w.getUnit() : unit;
                }
                upsertSeries.setString(1, key.run());
                upsertSeries.setString(2, key.service());
                upsertSeries.setString(3, key.metric());
                upsertSeries.setString(4, unit);
                upsertSeries.setTimestamp(5, Timestamp.from(newest));
                final long id;
                final Instant seriesNewest;
                try (ResultSet rs = upsertSeries.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                    seriesNewest = rs.getTimestamp(2).toInstant();
                }
                final long oldestKeptHour = Math.floorDiv(seriesNewest.toEpochMilli(), HourlyHistory.HOUR_MS)
                        - retentionDays * 24L;
                final Map<Long, HourShare> hours = new HashMap<>();
                for (final MetricWindow w : e.getValue()) {
                    if (Math.floorDiv(w.getWindowEnd().toEpochMilli(), HourlyHistory.HOUR_MS) < oldestKeptHour) {
                        dropped++;
                        continue;
                    }
                    for (final HourShare s : HourShare.split(w.getWindowStart().toEpochMilli(),
                            w.getWindowEnd().toEpochMilli(), w.getMean(), w.getMin(), w.getMax())) {
                        if (s.hour() >= oldestKeptHour) {
                            hours.merge(s.hour(), s, HourShare::plus);
                        }
                    }
                }
                for (final HourShare s : hours.values()) {
                    upsertHour.setLong(1, id);
                    upsertHour.setTimestamp(2, Timestamp.from(Instant.ofEpochMilli(s.hour() * HourlyHistory.HOUR_MS)));
                    upsertHour.setDouble(3, s.seconds());
                    upsertHour.setDouble(4, s.weightedSum());
                    upsertHour.setDouble(5, s.min());
                    upsertHour.setDouble(6, s.max());
                    upsertHour.addBatch();
                }
                expire.setLong(1, id);
                expire.setTimestamp(2, Timestamp.from(Instant.ofEpochMilli(oldestKeptHour * HourlyHistory.HOUR_MS)));
                expire.addBatch();
            }
            upsertHour.executeBatch();
            expire.executeBatch();
        }
        return dropped;
    }

    /** Series with an hour completed since their last forecast, oldest first. */
    public List<Series> due(final Connection c, final int limit) throws SQLException {
        return select(c, " WHERE forecast_origin IS NULL OR newest_end >= forecast_origin + interval '1 hour'"
                + " ORDER BY updated_at LIMIT " + limit);
    }

    public Optional<Series> find(final Connection c, final SeriesKey key) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(SELECT + " WHERE run_id = ? AND service = ? AND metric = ?")) {
            st.setString(1, key.run());
            st.setString(2, key.service());
            st.setString(3, key.metric());
            final List<Series> out = read(st);
            return out.stream().findFirst();
        }
    }

    /** Live series (or a run's), for listings. */
    public List<Series> list(final Connection c, final String run) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(SELECT + " WHERE run_id = ? ORDER BY service, metric")) {
            st.setString(1, run == null ? "" : run);
            return read(st);
        }
    }

    /** The hours before {@code originHour} still kept, as an hourly history (gaps as NaN). */
    public HourlyHistory history(final Connection c, final long seriesId, final long originHour) throws SQLException {
        final long from = originHour - retentionDays * 24L;
        final double[] values = new double[(int) (originHour - from)];
        Arrays.fill(values, Double.NaN);
        long first = originHour;
        try (PreparedStatement st = c.prepareStatement("SELECT hour_start, weighted_sum / seconds FROM forecast_history"
                + " WHERE series_id = ? AND hour_start >= ? AND hour_start < ? AND seconds > 0")) {
            st.setLong(1, seriesId);
            st.setTimestamp(2, Timestamp.from(Instant.ofEpochMilli(from * HourlyHistory.HOUR_MS)));
            st.setTimestamp(3, Timestamp.from(Instant.ofEpochMilli(originHour * HourlyHistory.HOUR_MS)));
            st.setFetchSize(2_000);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    final long hour = Math.floorDiv(rs.getTimestamp(1).getTime(), HourlyHistory.HOUR_MS);
                    values[(int) (hour - from)] = rs.getDouble(2);
                    first = Math.min(first, hour);
                }
            }
        }
        return new HourlyHistory(first, Arrays.copyOfRange(values, (int) (first - from), values.length));
    }

    /** Records that the forecast from {@code originHour} was published, with the alert state it left. */
    public void markForecast(final Connection c, final long seriesId, final long originHour, final boolean firing)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE forecast_series SET forecast_origin = ?,"
                + " exhaustion_firing = ? WHERE series_id = ? AND (forecast_origin IS NULL OR forecast_origin <= ?)")) {
            final Timestamp origin = Timestamp.from(Instant.ofEpochMilli(originHour * HourlyHistory.HOUR_MS));
            st.setTimestamp(1, origin);
            st.setBoolean(2, firing);
            st.setLong(3, seriesId);
            st.setTimestamp(4, origin);
            st.executeUpdate();
        }
    }

    /** Number of series (live and replayed). */
    public long count(final Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT count(*) FROM forecast_series");
             ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static final String SELECT = "SELECT series_id, run_id, service, metric, unit, newest_end, forecast_origin,"
            + " exhaustion_firing FROM forecast_series";

    private static List<Series> select(final Connection c, final String where) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(SELECT + where)) {
            return read(st);
        }
    }

    private static List<Series> read(final PreparedStatement st) throws SQLException {
        final List<Series> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                final Timestamp origin = rs.getTimestamp(7);
                out.add(new Series(rs.getLong(1), new SeriesKey(rs.getString(2), rs.getString(3), rs.getString(4)),
                        rs.getString(5), rs.getTimestamp(6).toInstant(), origin == null ? null : origin.toInstant(),
                        rs.getBoolean(8)));
            }
        }
        return out;
    }
}
