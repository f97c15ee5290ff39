package aiops.app.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Runs a long-lived service until SIGTERM or Ctrl-C: starts it, prints {@code ready <url>}, waits, then closes what it
 * started in reverse order before the JVM exits.
 */
final class Lifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    private Lifecycle() {
    }

    /** What a start produced: the HTTP port and the resources to close, in start order. */
    record Started(int port, List<AutoCloseable> resources) {
    }

    /** Starts a service. */
    @FunctionalInterface
    interface Starter {
        Started start() throws Exception;
    }

    static int runUntilStopped(final CommandSpec spec, final Starter starter, final String host) throws Exception {
        final CountDownLatch stopRequested = new CountDownLatch(1);
        final CountDownLatch stopped = new CountDownLatch(1);
        final Thread hook = new Thread(() -> {
            stopRequested.countDown();
            try {
                stopped.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "aiops-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Started started = null;
        try {
            started = starter.start();
            final PrintWriter out = spec.commandLine().getOut();
            out.println("ready http://" + displayHost(host) + ":" + started.port());
            out.flush();
            stopRequested.await();
            LOG.info("stopping");
            return 0;
        } finally {
            if (started != null) {
                final List<AutoCloseable> resources = started.resources();
                for (int i = resources.size() - 1; i >= 0; i--) {
                    try {
                        resources.get(i).close();
                    } catch (Exception e) {
                        LOG.warn("did not stop cleanly: {}", e.getMessage());
                    }
                }
            }
            stopped.countDown();
        }
    }

    private static String displayHost(final String host) {
        return "0.0.0.0".equals(host) || "::".equals(host) ? "127.0.0.1" : host;
    }
}
