package aiops.schemas;

import aiops.avro.AlertEvent;
import aiops.avro.Analysis;
import aiops.avro.BudgetState;
import aiops.avro.CachedAnswer;
import aiops.avro.EnrichedAlert;
import aiops.avro.Forecast;
import aiops.avro.Incident;
import aiops.avro.LlmUsage;
import aiops.avro.LogRecord;
import aiops.avro.MetricWindow;
import aiops.avro.NotificationEvent;
import aiops.avro.RemediationEvent;
import aiops.avro.RemediationProposal;
import aiops.avro.ReplayRun;
import aiops.avro.ServiceEntry;
import aiops.schemas.TopicSpec.CleanupPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/** The topic catalogue: every topic the pipeline reads or writes. Code and tests name topics only through here. */
public final class Topics {

    public static final TopicSpec<AlertEvent> ALERTS_RAW = new TopicSpec<>(
            "aiops.alerts.raw", "alert fingerprint", AlertEvent.class, 6, CleanupPolicy.DELETE, Duration.ofDays(7),
            "One record per alert status change, normalised from any source.");
    public static final TopicSpec<LogRecord> LOGS_RAW = new TopicSpec<>(
            "aiops.logs.raw", "service", LogRecord.class, 6, CleanupPolicy.DELETE, Duration.ofDays(3),
            "Log records from services.");
    public static final TopicSpec<MetricWindow> METRIC_WINDOWS = new TopicSpec<>(
            "aiops.metrics.windows", "service/metric", MetricWindow.class, 6, CleanupPolicy.DELETE, Duration.ofDays(40),
            "Metric aggregates per window; kept long enough for weekly seasonality.");
    public static final TopicSpec<ServiceEntry> CATALOG = new TopicSpec<>(
            "aiops.catalog", "service", ServiceEntry.class, 1, CleanupPolicy.COMPACT, null,
            "Service catalogue: owner, tier, runbook, dependencies, Kubernetes target.");
    public static final TopicSpec<EnrichedAlert> ALERTS_ENRICHED = new TopicSpec<>(
            "aiops.alerts.enriched", "alert fingerprint", EnrichedAlert.class, 6, CleanupPolicy.DELETE,
            Duration.ofDays(7), "Alerts after enrichment and deduplication.");
    public static final TopicSpec<Incident> INCIDENTS = new TopicSpec<>(
            "aiops.incidents", "incident id", Incident.class, 6, CleanupPolicy.COMPACT, null,
            "Latest state of every incident.");
    public static final TopicSpec<Analysis> ANALYSES = new TopicSpec<>(
            "aiops.analyses", "incident id", Analysis.class, 6, CleanupPolicy.DELETE, Duration.ofDays(90),
            "Root-cause analyses.");
    public static final TopicSpec<LlmUsage> LLM_USAGE = new TopicSpec<>(
            "aiops.llm.usage", "usage id", LlmUsage.class, 3, CleanupPolicy.DELETE, Duration.ofDays(30),
            "One record per billed LLM call; the ledger's source.");
    public static final TopicSpec<RemediationEvent> REMEDIATIONS = new TopicSpec<>(
            "aiops.remediations", "incident id", RemediationEvent.class, 3, CleanupPolicy.DELETE, Duration.ofDays(90),
            "Remediation actions: planned, approved, applied, refused, failed.");
    public static final TopicSpec<RemediationProposal> PROPOSALS = new TopicSpec<>(
            "aiops.remediation.proposals", "incident id", RemediationProposal.class, 3, CleanupPolicy.DELETE,
            Duration.ofDays(30), "Actions people proposed through an AI client; the remediator judges them by policy.");
    public static final TopicSpec<NotificationEvent> NOTIFICATIONS = new TopicSpec<>(
            "aiops.notifications", "incident id", NotificationEvent.class, 3, CleanupPolicy.DELETE,
            Duration.ofDays(30), "Notifications to people and their delivery state.");
    public static final TopicSpec<BudgetState> BUDGET = new TopicSpec<>(
            "aiops.budget", "budget scope", BudgetState.class, 1, CleanupPolicy.COMPACT, null,
            "Spend against each LLM budget; written by the ledger, read by the analyzer.");
    public static final TopicSpec<CachedAnswer> ANALYSIS_CACHE = new TopicSpec<>(
            "aiops.analyzer.cache", "cache key", CachedAnswer.class, 3, CleanupPolicy.COMPACT, null,
            "LLM answers reused for identical prompts; entries past their TTL are ignored.");
    public static final TopicSpec<ReplayRun> REPLAYS = new TopicSpec<>(
            "aiops.replays", "run id", ReplayRun.class, 1, CleanupPolicy.COMPACT, null,
            "Replay runs: source, pacing, side-effect permission, counts.");
    public static final TopicSpec<Forecast> FORECASTS = new TopicSpec<>(
            "aiops.forecasts", "service/metric", Forecast.class, 3, CleanupPolicy.COMPACT, null,
            "Latest capacity forecast per service and metric, with intervals, exhaustion and replica recommendation.");
    public static final TopicSpec<SpecificRecord> DLQ = new TopicSpec<>(
            "aiops.dlq", "original key", null, 3, CleanupPolicy.DELETE, Duration.ofDays(30),
            "Poison input: the original bytes with headers naming the source topic and the reason.");

    /** Every topic, in the order data flows through them. */
    public static final List<TopicSpec<?>> ALL = List.of(
            ALERTS_RAW, LOGS_RAW, METRIC_WINDOWS, CATALOG, ALERTS_ENRICHED, INCIDENTS, ANALYSES, LLM_USAGE,
            PROPOSALS, REMEDIATIONS, NOTIFICATIONS, BUDGET, ANALYSIS_CACHE, REPLAYS, FORECASTS, DLQ);

    private Topics() {
    }

    public static Optional<TopicSpec<?>> byName(final String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
