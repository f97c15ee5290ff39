package aiops.forecast;

import aiops.avro.ServiceEntry;
import aiops.forecast.model.HourlyHistory;
import aiops.forecast.store.MetricHistory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-forecasts every series that completed an hour since its last forecast: publishes the forecast, raises or
 * resolves its predicted-exhaustion alert, then records the origin and alert state. Publication happens before the
 * record, so a crash in between publishes the same forecast again (same id, compacted topic; the alert is
 * deduplicated by fingerprint downstream), never skips one.
 */
final class ForecastRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ForecastRunner.class);
    private static final int BATCH = 200;

    private final DataSource db;
    private final MetricHistory history;
    private final SeriesPlanner planner;
    private final ForecastSettings settings;
    private final Function<String, ServiceEntry> catalog;
    private final ForecastPublisher publisher;
    private final Thread loop;
    private final Object wake = new Object();
    private final AtomicLong seriesGauge = new AtomicLong();
    private final MeterRegistry metrics;
    private final DistributionSummary backtestError;
    private final Counter alertsRaised;
    private final Counter alertsResolved;
    private volatile boolean running = true;
    private volatile boolean healthy = true;
    private volatile long published;

    ForecastRunner(final DataSource db, final MetricHistory history, final SeriesPlanner planner,
                   final ForecastSettings settings, final Function<String, ServiceEntry> catalog,
                   final ForecastPublisher publisher, final MeterRegistry metrics) {
        this.db = db;
        this.history = history;
        this.planner = planner;
        this.settings = settings;
        this.catalog = catalog;
        this.publisher = publisher;
        this.metrics = metrics;
        metrics.gauge("aiops_forecast_series", seriesGauge);
        this.backtestError = DistributionSummary.builder("aiops_forecast_backtest_smape")
                .description("Backtest sMAPE of each published forecast").publishPercentileHistogram()
                .minimumExpectedValue(0.001).maximumExpectedValue(2.0).register(metrics);
        this.alertsRaised = Counter.builder("aiops_forecast_alerts_total").tag("status", "firing").register(metrics);
        this.alertsResolved = Counter.builder("aiops_forecast_alerts_total").tag("status", "resolved").register(metrics);
        this.loop = new Thread(this::run, "forecast-runner");
    }

    ForecastRunner start() {
        loop.start();
        return this;
    }

    /** Called after new history was committed: look for due series now rather than at the next tick. */
    void nudge() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    boolean isHealthy() {
        return loop.isAlive() && healthy;
    }

    long published() {
        return published;
    }

    private void run() {
        while (running) {
            try {
                int done;
                do {
                    done = runOnce();
                } while (running && done == BATCH);
                healthy = true;
            } catch (final SQLException | RuntimeException | java.util.concurrent.ExecutionException
                           | java.util.concurrent.TimeoutException e) {
                healthy = false;
                LOG.warn("forecast round failed, retrying: {}", e.getMessage());
            } catch (final InterruptedException e) {
                return;
            }
            synchronized (wake) {
                try {
                    wake.wait(settings.refitInterval().toMillis());
                } catch (final InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** One round over up to {@link #BATCH} due series; returns how many were forecast. */
    int runOnce() throws SQLException, InterruptedException, java.util.concurrent.ExecutionException,
            java.util.concurrent.TimeoutException {
        try (Connection c = db.getConnection()) {
            final List<MetricHistory.Series> due = history.due(c, BATCH);
            seriesGauge.set(history.count(c));
            final Instant now = Instant.now();
            final boolean[] firing = new boolean[due.size()];
            final long[] origins = new long[due.size()];
            for (int i = 0; i < due.size(); i++) {
                final MetricHistory.Series s = due.get(i);
                origins[i] = s.dueOriginHour();
                final HourlyHistory h = history.history(c, s.id(), origins[i]);
                final SeriesPlanner.Outlook o = planner.outlook(s.key(), s.unit(), h, settings.horizonHours(),
                        catalog.apply(s.key().service()));
                publisher.forecast(s.key(), ForecastRecords.forecast(s.key(), s.unit(), o.forecast(), o.exhaustion(),
                        o.plan(), now));
                firing[i] = s.exhaustionFiring();
                if (o.exhaustion() != null && o.exhaustion().predicted() != s.exhaustionFiring()) {
                    firing[i] = o.exhaustion().predicted();
                    publisher.alert(s.key(), ForecastRecords.alert(s.key(), o.forecast(), o.exhaustion(), firing[i], now));
                    (firing[i] ? alertsRaised : alertsResolved).increment();
                }
                metrics.counter("aiops_forecasts_total", "method", o.forecast().method().wireName()).increment();
                if (o.forecast().backtestSmape() != null) {
                    backtestError.record(o.forecast().backtestSmape());
                }
            }
            publisher.awaitAcks(Duration.ofSeconds(30));
            for (int i = 0; i < due.size(); i++) {
                history.markForecast(c, due.get(i).id(), origins[i], firing[i]);
            }
            published += due.size();
            return due.size();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        loop.interrupt();
        loop.join(15_000);
    }
}
