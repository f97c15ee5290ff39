package aiops.forecast.api;

import aiops.avro.ServiceEntry;
import aiops.common.auth.Role;
import aiops.common.http.ApiError;
import aiops.forecast.ForecastSettings;
import aiops.forecast.SeriesPlanner;
import aiops.forecast.model.ExhaustionCheck;
import aiops.forecast.model.HourlyHistory;
import aiops.forecast.model.ReplicaPlan;
import aiops.forecast.model.SeriesForecast;
import aiops.forecast.store.MetricHistory;
import aiops.forecast.store.SeriesKey;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * {@code GET /api/v1/forecast?service=&metric=&hours=} (readonly): the series' forecast made from its stored
 * history now, with the same planner as the published forecasts; without {@code metric}, the service's series.
 */
public final class ForecastRoutes {

    private final DataSource db;
    private final MetricHistory history;
    private final SeriesPlanner planner;
    private final Function<String, ServiceEntry> catalog;
    private final ForecastSettings settings;

    public ForecastRoutes(final DataSource db, final MetricHistory history, final SeriesPlanner planner,
                          final Function<String, ServiceEntry> catalog, final ForecastSettings settings) {
        this.db = db;
        this.history = history;
        this.planner = planner;
        this.catalog = catalog;
        this.settings = settings;
    }

    public void register(final RoutesConfig routes) {
        routes.get("/api/v1/forecast", this::forecast, Role.READONLY);
    }

    private void forecast(final Context ctx) throws SQLException {
        final String service = ctx.queryParam("service");
        if (service == null || service.isBlank()) {
            throw ApiError.badRequest("missing_field", "service is required", "service");
        }
        final String metric = ctx.queryParam("metric");
        final String hoursText = ctx.queryParam("hours");
        final int hours;
        try {
            hours = hoursText == null ? 24 : Integer.parseInt(hoursText);
        } catch (final NumberFormatException e) {
            throw ApiError.badRequest("invalid_field", "hours must be a whole number from 1 to 168", "hours");
        }
        if (hours < 1 || hours > 168) {
            throw ApiError.badRequest("invalid_field", "hours must be from 1 to 168", "hours");
        }
        final String run = ctx.queryParam("run");
        try (Connection c = db.getConnection()) {
            final List<MetricHistory.Series> series = new ArrayList<>();
            if (metric == null || metric.isBlank()) {
                history.list(c, run).stream().filter(s -> s.key().service().equals(service)).forEach(series::add);
            } else {
                history.find(c, new SeriesKey(run, service, metric)).ifPresent(series::add);
            }
            if (series.isEmpty()) {
                throw new ApiError(404, "not_found", "no metric history for service " + service
                        + (metric == null ? "" : " metric " + metric) + (run == null ? "" : " in run " + run));
            }
            final List<Map<String, Object>> out = new ArrayList<>();
            for (final MetricHistory.Series s : series) {
                final HourlyHistory h = history.history(c, s.id(), s.dueOriginHour());
                out.add(json(planner.outlook(s.key(), s.unit(), h, hours, catalog.apply(service))));
            }
            if (metric != null && !metric.isBlank()) {
                ctx.json(out.get(0));
            } else {
                ctx.json(Map.of("service", service, "forecasts", out));
            }
        }
    }

    static Map<String, Object> json(final SeriesPlanner.Outlook o) {
        final SeriesForecast f = o.forecast();
        final Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("service", o.key().service());
        doc.put("metric", o.key().metric());
        doc.put("unit", o.unit());
        if (!o.key().live()) {
            doc.put("run", o.key().run());
        }
        doc.put("origin", hour(f.originHour()));
        doc.put("method", f.method().wireName());
        doc.put("history_hours", f.historyHours());
        doc.put("backtest_smape", f.backtestSmape());
        doc.put("baseline_smape", f.baselineSmape());
        doc.put("level", f.level());
        doc.put("points", f.points().stream().map(p -> Map.of("at", hour(p.hour()), "value", p.value(),
                "lower", p.lower(), "upper", p.upper())).toList());
        final ExhaustionCheck e = o.exhaustion();
        if (e != null) {
            final Map<String, Object> ex = new LinkedHashMap<>();
            ex.put("limit", e.limit());
            ex.put("horizon_hours", e.horizonHours());
            ex.put("eta", e.etaHour() == null ? null : hour(e.etaHour()));
            ex.put("eta_earliest", e.earliestHour() == null ? null : hour(e.earliestHour()));
            ex.put("eta_latest", e.latestHour() == null ? null : hour(e.latestHour()));
            doc.put("exhaustion", ex);
        }
        final ReplicaPlan p = o.plan();
        if (p != null) {
            doc.put("recommendation", Map.of("target_replicas", p.target(), "lead_hours", p.leadHours(),
                    "replicas", p.replicas(), "qps_per_replica", p.qpsPerReplica(), "headroom", p.headroom(),
                    "min_replicas", p.minReplicas(), "max_replicas", p.maxReplicas()));
        }
        return doc;
    }

    private static String hour(final long hour) {
        return Instant.ofEpochMilli(hour * HourlyHistory.HOUR_MS).toString();
    }
}
