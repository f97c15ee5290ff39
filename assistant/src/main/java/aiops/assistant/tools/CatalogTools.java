package aiops.assistant.tools;

import aiops.avro.Forecast;
import aiops.avro.ForecastPoint;
import aiops.avro.ServiceEntry;
import aiops.common.auth.Role;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/** The catalogue and forecast tools, answered from the compacted {@code aiops.catalog} and {@code aiops.forecasts}. */
public final class CatalogTools {

    private final Function<String, Optional<ServiceEntry>> catalog;
    private final Supplier<Map<String, Forecast>> forecasts;

    public CatalogTools(final Function<String, Optional<ServiceEntry>> catalog,
                        final Supplier<Map<String, Forecast>> forecasts) {
        this.catalog = catalog;
        this.forecasts = forecasts;
    }

    public List<ToolDef> tools() {
        return List.of(
                new ToolDef("get_service", "A catalogued service: owner, team, tier, dependencies, Kubernetes"
                        + " workload, runbook link and excerpt, capacity.",
                        List.of(Param.text("service", "Service name.", true)), Role.READONLY, false, this::service),
                new ToolDef("get_forecast", "The newest capacity forecast of a service's metric: hourly points with"
                        + " prediction intervals, the model and its backtest error against seasonal naive, predicted"
                        + " exhaustion and the replica recommendation. Without metric: the metrics forecast.",
                        List.of(Param.text("service", "Service name.", true),
                                Param.text("metric", "Metric name, e.g. http_requests_per_second.", false),
                                Param.integer("hours", "Hours ahead to return (default 24).", 1, 168)),
                        Role.READONLY, false, this::forecast));
    }

    /** The runbook text of a service: its link and the catalogue's {@code runbook_excerpt}. */
    public static String runbook(final ServiceEntry e) {
        final StringBuilder out = new StringBuilder("# Runbook: ").append(e.getName()).append('\n');
        out.append("Owner: ").append(e.getOwner() == null ? "unknown" : e.getOwner()).append(", tier ")
                .append(e.getTier()).append('\n');
        if (e.getRunbook() != null) {
            out.append("Link: ").append(e.getRunbook()).append('\n');
        }
        final String excerpt = e.getLabels().get("runbook_excerpt");
        out.append('\n').append(excerpt == null ? "No runbook excerpt is catalogued." : excerpt.strip()).append('\n');
        return out.toString();
    }

    private ToolResult service(final ToolCall call) throws Exception {
        final String name = call.text("service");
        final ServiceEntry e = catalog.apply(name).orElseThrow(() -> new ToolInputException("no service " + name
                + " in the catalogue"));
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("service", e.getName());
        body.put("owner", e.getOwner());
        body.put("team", e.getTeam());
        body.put("tier", e.getTier());
        body.put("depends_on", e.getDependsOn());
        if (e.getKubernetes() != null) {
            body.put("kubernetes", Map.of("namespace", e.getKubernetes().getNamespace(),
                    "deployment", e.getKubernetes().getDeployment()));
        }
        body.put("runbook", e.getRunbook());
        body.put("runbook_excerpt", e.getLabels().get("runbook_excerpt"));
        if (e.getCapacity() != null) {
            final Map<String, Object> cap = new LinkedHashMap<>();
            cap.put("qps_metric", e.getCapacity().getQpsMetric());
            cap.put("qps_per_replica", e.getCapacity().getQpsPerReplica());
            cap.put("min_replicas", e.getCapacity().getMinReplicas());
            cap.put("max_replicas", e.getCapacity().getMaxReplicas());
            cap.put("limits", new TreeMap<>(e.getCapacity().getLimits()));
            body.put("capacity", cap);
        }
        final Map<String, String> labels = new TreeMap<>(e.getLabels());
        labels.remove("runbook_excerpt");
        body.put("labels", labels);
        return ToolResult.of(body, List.of(new ToolResult.Citation("runbook", e.getName())));
    }

    private ToolResult forecast(final ToolCall call) throws Exception {
        final String service = call.text("service");
        final String metric = call.text("metric");
        final Map<String, Forecast> all = forecasts.get();
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("service", service);
        if (metric == null) {
            final List<String> metrics = all.keySet().stream().filter(k -> k.startsWith(service + "/"))
                    .map(k -> k.substring(service.length() + 1)).sorted().toList();
            if (metrics.isEmpty()) {
                throw new ToolInputException("no forecasts for service " + service);
            }
            body.put("metrics", metrics);
            return ToolResult.of(body, List.of());
        }
        final Forecast f = all.get(service + "/" + metric);
        if (f == null) {
            throw new ToolInputException("no forecast for " + service + "/" + metric);
        }
        body.put("metric", f.getMetric());
        body.put("unit", f.getUnit());
        body.put("method", f.getMethod());
        body.put("origin", f.getOrigin().toString());
        body.put("history_hours", f.getHistoryHours());
        body.put("backtest_smape", f.getBacktestSmape());
        body.put("baseline_smape", f.getBaselineSmape());
        body.put("interval_level", f.getLevel());
        final int hours = call.integer("hours", 24);
        body.put("points", f.getPoints().stream().limit(hours).map(CatalogTools::point).toList());
        if (f.getExhaustion() != null) {
            final Map<String, Object> ex = new LinkedHashMap<>();
            ex.put("limit", f.getExhaustion().getLimit());
            ex.put("eta", f.getExhaustion().getEta() == null ? null : f.getExhaustion().getEta().toString());
            ex.put("eta_earliest", f.getExhaustion().getEtaEarliest() == null ? null
                    : f.getExhaustion().getEtaEarliest().toString());
            ex.put("horizon_hours", f.getExhaustion().getHorizonHours());
            body.put("exhaustion", ex);
        }
        if (f.getRecommendation() != null) {
            body.put("recommendation", Map.of("target_replicas", f.getRecommendation().getTarget(),
                    "lead_hours", f.getRecommendation().getLeadHours(),
                    "replicas_per_hour", f.getRecommendation().getReplicas().stream().limit(hours).toList()));
        }
        return ToolResult.of(body, List.of(new ToolResult.Citation("forecast", service + "/" + metric)));
    }

    private static Map<String, Object> point(final ForecastPoint p) {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", p.getAt().toString());
        m.put("value", round(p.getValue()));
        m.put("lower", round(p.getLower()));
        m.put("upper", round(p.getUpper()));
        return m;
    }

    private static double round(final double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
