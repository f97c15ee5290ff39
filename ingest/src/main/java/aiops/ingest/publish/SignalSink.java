package aiops.ingest.publish;

import aiops.ingest.normalize.Normalized;
import aiops.ingest.normalize.SignalContext;
import java.util.concurrent.CompletableFuture;

/** Where normalised signals go; returns only once they are durably accepted. */
@FunctionalInterface
public interface SignalSink {

    /**
     * @return how many records were accepted
     * @throws PublishException when not every record was accepted
     */
    int publish(Normalized signals, SignalContext context);

    /**
     * As {@link #publish}, without holding the caller's thread while Kafka acknowledges: the future fails with a
     * {@link PublishException} when not every record was accepted.
     */
    default CompletableFuture<Integer> publishAsync(final Normalized signals, final SignalContext context) {
        try {
            return CompletableFuture.completedFuture(publish(signals, context));
        } catch (PublishException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
