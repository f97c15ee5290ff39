package aiops.forecast;

import aiops.avro.MetricWindow;
import aiops.avro.ServiceEntry;
import aiops.common.kafka.CompactedTopicView;
import aiops.common.kafka.DbOffsetConsumer;
import aiops.common.kafka.KafkaSettings;
import aiops.forecast.api.ForecastRoutes;
import aiops.forecast.store.ForecastSchema;
import aiops.forecast.store.MetricHistory;
import aiops.schemas.Topics;
import io.javalin.config.RoutesConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The forecaster process: metric windows into the hourly history (offsets in the same transactions), a runner that
 * re-forecasts series as hours complete, and the forecast query API.
 */
public final class Forecaster implements AutoCloseable {

    /** Owner of {@code forecast_consumer_offsets}. */
    static final String OWNER = "forecast";

    private final CompactedTopicView<ServiceEntry> catalog;
    private final ForecastPublisher publisher;
    private final ForecastRunner runner;
    private final DbOffsetConsumer<MetricWindow> windows;
    private final ForecastRoutes routes;

    private Forecaster(final CompactedTopicView<ServiceEntry> catalog, final ForecastPublisher publisher,
                       final ForecastRunner runner, final DbOffsetConsumer<MetricWindow> windows,
                       final ForecastRoutes routes) {
        this.catalog = catalog;
        this.publisher = publisher;
        this.runner = runner;
        this.windows = windows;
        this.routes = routes;
    }

    /** Migrates the schema, reads the catalogue, and starts consuming and forecasting. */
    public static Forecaster start(final KafkaSettings kafka, final DataSource db, final ForecastSettings settings,
                                   final MeterRegistry metrics) throws InterruptedException {
        ForecastSchema.migrate(db);
        final CompactedTopicView<ServiceEntry> catalog = CompactedTopicView.start(kafka, Topics.CATALOG);
        if (!catalog.awaitCaughtUp(Duration.ofSeconds(60))) {
            catalog.close();
            throw new IllegalStateException("could not read " + Topics.CATALOG.name() + " within 60 s");
        }
        final MetricHistory history = new MetricHistory(settings.retentionDays());
        final SeriesPlanner planner = new SeriesPlanner(settings);
        final ForecastPublisher publisher = new ForecastPublisher(kafka, settings.groupId());
        final ForecastRunner runner = new ForecastRunner(db, history, planner, settings,
                name -> catalog.get(name).orElse(null), publisher, metrics).start();
        final Counter dropped = Counter.builder("aiops_forecast_windows_dropped_total")
                .description("Metric windows older than the retention when they arrived").register(metrics);
        final DbOffsetConsumer<MetricWindow> windows = new DbOffsetConsumer<>(kafka, Topics.METRIC_WINDOWS,
                settings.groupId(), OWNER, db, settings.maxBatch(), (c, batch) -> dropped.increment(history.merge(c, batch)),
                batch -> {
                    if (!batch.isEmpty()) {
                        runner.nudge();
                    }
                }).start();
        final ForecastRoutes routes = new ForecastRoutes(db, history, planner, name -> catalog.get(name).orElse(null),
                settings);
        return new Forecaster(catalog, publisher, runner, windows, routes);
    }

    public void register(final RoutesConfig r) {
        routes.register(r);
    }

    public boolean isHealthy() {
        return windows.isHealthy() && runner.isHealthy();
    }

    /** Forecasts published since start. */
    public long published() {
        return runner.published();
    }

    /** Stops at once, as a crash would. */
    public void kill() throws InterruptedException {
        windows.kill();
        runner.close();
        publisher.close();
        catalog.close();
    }

    @Override
    public void close() throws InterruptedException {
        windows.close();
        runner.close();
        publisher.close();
        catalog.close();
    }
}
