package aiops.remediator.notify;

import aiops.avro.Severity;
import java.util.Set;

/**
 * Something people should hear about, before routing.
 *
 * @param key    what makes it one message: the same key is delivered once per channel, however often it is offered
 * @param owners teams and owners of the services concerned, for routing
 */
public record Notice(String key, String incidentId, String kind, Severity severity, String title, String body,
                     Set<String> owners, String replayRun, String traceParent) {
}
