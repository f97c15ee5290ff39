package aiops.embedded;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL and the registry run as child processes; when the JVM that started them is killed outright (SIGKILL,
 * the OOM killer) they keep running, holding their data directories, and the next start on the same home fails.
 * Called only under the {@link HomeLock}, so a process found here on this home's data belongs to nobody alive.
 */
final class LeftoverProcesses {

    private static final Logger LOG = LoggerFactory.getLogger(LeftoverProcesses.class);
    private static final Duration GRACEFUL = Duration.ofSeconds(20);

    private LeftoverProcesses() {
    }

    /** Stops (TERM, then KILL after a while) every other process whose arguments {@code match}; returns how many. */
    static int stop(final String what, final Predicate<List<String>> match) {
        final long self = ProcessHandle.current().pid();
        final List<ProcessHandle> found = ProcessHandle.allProcesses()
                .filter(p -> p.pid() != self && p.isAlive())
                .filter(p -> p.info().arguments().map(a -> match.test(Arrays.asList(a))).orElse(false))
                .toList();
        for (final ProcessHandle p : found) {
            LOG.warn("stopping {} (pid {}) left running by an aiops process that is gone", what, p.pid());
            p.destroy();
        }
        for (final ProcessHandle p : found) {
            if (!awaitExit(p, GRACEFUL)) {
                p.destroyForcibly();
                awaitExit(p, Duration.ofSeconds(5));
            }
        }
        return found.size();
    }

    private static boolean awaitExit(final ProcessHandle p, final Duration bound) {
        try {
            p.onExit().get(bound.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }
}
