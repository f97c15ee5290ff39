package aiops.remediator.notify;

import aiops.avro.Severity;
import java.time.Instant;

/** One delivery of a notice to one channel; {@code deliveryId} is stable across retries, for receivers to dedupe. */
public record Message(String deliveryId, String incidentId, String kind, Severity severity, String title, String body,
                      Instant createdAt) {
}
