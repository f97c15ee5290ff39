package aiops.remediator.notify;

import aiops.remediator.store.Tx;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker thread per channel, so a slow or failing channel never delays the others. Each leases its due
 * deliveries, sends them, and records the outcome (sent, retry later, failed for good).
 */
public final class DeliveryWorkers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorkers.class);
    private static final Duration IDLE = Duration.ofMillis(250);

    private final DataSource db;
    private final int maxAttempts;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    public DeliveryWorkers(final DataSource db, final Map<String, Channel> channels, final int maxAttempts) {
        this.db = db;
        this.maxAttempts = maxAttempts;
        channels.forEach((name, channel) -> {
            final Thread t = new Thread(() -> work(name, channel), "notify-" + name);
            t.setDaemon(true);
            threads.add(t);
        });
    }

    public DeliveryWorkers start() {
        threads.forEach(Thread::start);
        return this;
    }

    public boolean isRunning() {
        return threads.stream().allMatch(Thread::isAlive);
    }

    private void work(final String name, final Channel channel) {
        while (running) {
            try {
                final List<Deliveries.Due> due = Tx.run(db, c -> Deliveries.lease(c, name, 20, Instant.now()));
                for (final Deliveries.Due d : due) {
                    if (!running) {
                        return;
                    }
                    deliver(channel, d);
                }
                if (due.isEmpty()) {
                    Thread.sleep(IDLE.toMillis());
                }
            } catch (final SQLException e) {
                LOG.warn("notification channel {}: database unavailable: {}", name, e.getMessage());
                pause();
            } catch (final InterruptedException e) {
                return;
            } catch (final RuntimeException e) {
                LOG.error("notification channel {} worker error", name, e);
                pause();
            }
        }
    }

    private void deliver(final Channel channel, final Deliveries.Due d) throws SQLException {
        try {
            channel.send(d.message());
            Tx.run(db, c -> {
                Deliveries.sent(c, d, channel, Instant.now());
                return null;
            });
        } catch (final Channel.DeliveryException e) {
            LOG.warn("notification {} to {} failed (attempt {}): {}", d.message().deliveryId(), d.channel(),
                    d.attempts() + 1, e.getMessage());
            Tx.run(db, c -> {
                Deliveries.attemptFailed(c, d, e.getMessage(), maxAttempts, channel, Instant.now());
                return null;
            });
        }
    }

    private void pause() {
        try {
            Thread.sleep(1_000);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        // Not interrupted: a send in progress finishes (bounded by the channel's timeouts) and is recorded.
        for (final Thread t : threads) {
            t.join(20_000);
        }
    }
}
