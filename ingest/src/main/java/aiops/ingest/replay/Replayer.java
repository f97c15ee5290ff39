package aiops.ingest.replay;

import aiops.ingest.normalize.InvalidSignalException;
import aiops.ingest.normalize.Normalized;
import aiops.ingest.normalize.SignalContext;
import aiops.ingest.publish.SignalSink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends a timeline onto the raw topics, each step when it is due at the chosen speed, each record stamped with its run
 * (value field and {@code aiops-replay} header). A step whose body no receiver would accept is skipped and reported;
 * a write Kafka does not acknowledge stops the replay.
 */
public final class Replayer {

    /** Where a replay stands. {@code remaining} is null until it can be estimated. */
    public record Progress(int done, int total, long records, int rejected, Duration elapsed, Duration remaining) {
    }

    /** Told after every step; cheap to call, so it decides itself how often to show anything. */
    @FunctionalInterface
    public interface Listener {
        void progress(Progress progress);
    }

    /** What a replay did; {@code rejected} names each skipped step and why. */
    public record Result(int signals, long records, List<String> rejected, Duration elapsed) {
    }

    private final SignalSink sink;

    public Replayer(final SignalSink sink) {
        this.sink = sink;
    }

    public Result replay(final List<ReplayStep> steps, final ReplaySpeed speed, final Listener listener)
            throws InterruptedException {
        final long start = System.nanoTime();
        final Duration last = steps.isEmpty() ? Duration.ZERO : speed.due(steps.get(steps.size() - 1).offset());
        final List<String> rejected = new ArrayList<>();
        long records = 0;
        int done = 0;
        for (final ReplayStep step : steps) {
            final long waitNanos = speed.due(step.offset()).toNanos() - (System.nanoTime() - start);
            if (waitNanos > 0) {
                Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
            }
            final Normalized normalized;
            try {
                normalized = step.records().apply(step.runId());
            } catch (final InvalidSignalException e) {
                rejected.add(step.origin() + ": " + e.getMessage());
                done++;
                continue;
            }
            records += sink.publish(normalized, new SignalContext(Instant.now(), step.runId(), null));
            done++;
            final Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            listener.progress(new Progress(done, steps.size(), records, rejected.size(), elapsed,
                    remaining(speed, last, elapsed, done, steps.size())));
        }
        return new Result(steps.size(), records, List.copyOf(rejected), Duration.ofNanos(System.nanoTime() - start));
    }

    private static Duration remaining(final ReplaySpeed speed, final Duration last, final Duration elapsed,
                                      final int done, final int total) {
        if (!speed.isMax()) {
            return last.compareTo(elapsed) > 0 ? last.minus(elapsed) : Duration.ZERO;
        }
        return done == 0 ? null : elapsed.multipliedBy(total - done).dividedBy(done);
    }
}
