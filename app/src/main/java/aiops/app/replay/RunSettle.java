package aiops.app.replay;

import aiops.common.kafka.KafkaSettings;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Waits until the pipeline has done what it will with a replay: the runs' incidents, analyses, billed calls and
 * remediation events stop changing for {@code quiet}, with every incident's latest version analysed, or the timeout
 * passes (then what was there is returned).
 */
public final class RunSettle {

    private RunSettle() {
    }

    public static Map<String, RunResults> await(final KafkaSettings kafka, final Predicate<String> runs, final Duration quiet,
                                         final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, RunResults> current = RunResults.read(kafka, runs);
        String seen = fingerprint(current);
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(500);
            current = RunResults.read(kafka, runs);
            final String now = fingerprint(current);
            if (!now.equals(seen)) {
                seen = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince >= quiet.toNanos() && analysed(current)) {
                return current;
            }
        }
        return current;
    }

    private static String fingerprint(final Map<String, RunResults> results) {
        final StringBuilder b = new StringBuilder();
        results.forEach((run, r) -> b.append(run).append(':')
                .append(r.incidents().values().stream().mapToInt(i -> i.getVersion()).sum()).append('/')
                .append(r.analyses().size()).append('/').append(r.totalSpend().calls()).append('/')
                .append(r.remediations().values().stream().mapToInt(java.util.List::size).sum()).append(';'));
        return b.toString();
    }

    private static boolean analysed(final Map<String, RunResults> results) {
        return results.values().stream()
                .allMatch(r -> aiops.app.runtime.AnalysisReader.complete(r.incidents(), r.analyses()));
    }
}
