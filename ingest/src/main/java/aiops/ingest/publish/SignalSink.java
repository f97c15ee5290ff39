package aiops.ingest.publish;

import aiops.ingest.normalize.Normalized;
import aiops.ingest.normalize.SignalContext;

/** Where normalised signals go; returns only once they are durably accepted. */
@FunctionalInterface
public interface SignalSink {

    /**
     * @return how many records were accepted
     * @throws PublishException when not every record was accepted
     */
    int publish(Normalized signals, SignalContext context);
}
