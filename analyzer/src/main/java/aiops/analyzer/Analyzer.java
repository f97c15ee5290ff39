package aiops.analyzer;

import aiops.analyzer.budget.BudgetGuard;
import aiops.analyzer.cache.AnalysisCache;
import aiops.analyzer.context.CatalogGraph;
import aiops.analyzer.llm.LlmAnalyst;
import aiops.analyzer.llm.LlmSettings;
import aiops.analyzer.offline.OfflineAnalyst;
import aiops.analyzer.similar.SimilarIncidents;
import aiops.analyzer.worker.AnalyzerService;
import aiops.avro.BudgetState;
import aiops.avro.CachedAnswer;
import aiops.avro.ServiceEntry;
import aiops.common.kafka.CompactedTopicView;
import aiops.common.kafka.KafkaSettings;
import aiops.schemas.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analyzer process: views of the catalogue, budgets and answer cache, the analyst chosen by configuration
 * (an LLM chain with the offline analyst behind it, or the offline analyst alone), and the worker.
 */
public final class Analyzer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Analyzer.class);

    private final CompactedTopicView<ServiceEntry> catalog;
    private final CompactedTopicView<BudgetState> budgets;
    private final CompactedTopicView<CachedAnswer> cacheView;
    private final AnalyzerService service;
    private final String analystName;

    private Analyzer(final CompactedTopicView<ServiceEntry> catalog, final CompactedTopicView<BudgetState> budgets,
                     final CompactedTopicView<CachedAnswer> cacheView, final AnalyzerService service,
                     final String analystName) {
        this.catalog = catalog;
        this.budgets = budgets;
        this.cacheView = cacheView;
        this.service = service;
        this.analystName = analystName;
    }

    public static Analyzer start(final KafkaSettings kafka, final AnalyzerConfig.Worker worker, final LlmSettings llm,
                                 final MeterRegistry metrics) throws InterruptedException {
        final Clock clock = Clock.systemUTC();
        final CompactedTopicView<ServiceEntry> catalog = CompactedTopicView.start(kafka, Topics.CATALOG);
        final CompactedTopicView<BudgetState> budgets = CompactedTopicView.start(kafka, Topics.BUDGET);
        final AnalysisCache cache = new AnalysisCache(llm.cacheTtl(), 100_000, clock, metrics);
        final CompactedTopicView<CachedAnswer> cacheView = CompactedTopicView.start(kafka, Topics.ANALYSIS_CACHE,
                (key, answer) -> {
                    if (answer != null) {
                        cache.put(answer);
                    }
                });
        final Duration wait = Duration.ofSeconds(30);
        if (!catalog.awaitCaughtUp(wait) || !budgets.awaitCaughtUp(wait) || !cacheView.awaitCaughtUp(wait)) {
            LOG.warn("catalogue, budgets or cache not fully read after {}; starting anyway", wait);
        }
        final Analyst offline = new OfflineAnalyst();
        final Analyst analyst = llm.enabled()
                ? new LlmAnalyst(llm, cache, new BudgetGuard(budgets::snapshot), offline, metrics, clock) : offline;
        final SimilarIncidents similar = worker.similarIncidents() ? SimilarIncidents.inProcess() : null;
        final AnalysisEngine engine = new AnalysisEngine(() -> new CatalogGraph(catalog.snapshot()), analyst, similar, clock);
        final AnalyzerService service;
        try {
            service = AnalyzerService.start(kafka, worker, engine, metrics);
        } catch (final RuntimeException | InterruptedException e) {
            cacheView.close();
            budgets.close();
            catalog.close();
            throw e;
        }
        final String name = llm.enabled() ? llm.models().get(0).id() : OfflineAnalyst.NAME;
        LOG.info("analyzer {} started: analyst {}, debounce {}, up to {} in flight", worker.instanceId(), name,
                worker.debounce(), worker.maxInFlight());
        return new Analyzer(catalog, budgets, cacheView, service, name);
    }

    public boolean isRunning() {
        return service.isRunning();
    }

    public String analyst() {
        return analystName;
    }

    public AnalyzerService service() {
        return service;
    }

    @Override
    public void close() throws InterruptedException {
        service.close();
        cacheView.close();
        budgets.close();
        catalog.close();
    }
}
