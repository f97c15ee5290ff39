package aiops.ingest.streams;

import aiops.schemas.Headers;
import aiops.schemas.RegistryFailures;
import aiops.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Poison input goes to {@code aiops.dlq}: the original key and value bytes, with headers naming the source topic,
 * partition, offset, the stage and the reason; the stream keeps running. The DLQ record is written in the same
 * exactly-once transaction as the offset commit that skips the poison record.
 */
final class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private DeadLetters() {
    }

    static ProducerRecord<byte[], byte[]> record(final ErrorHandlerContext context, final byte[] key,
                                                final byte[] value, final String stage, final Exception error) {
        final ProducerRecord<byte[], byte[]> dlq = new ProducerRecord<>(Topics.DLQ.name(), null,
                System.currentTimeMillis(), key, value);
        dlq.headers().add(Headers.DLQ_SOURCE_TOPIC, bytes(context.topic()));
        dlq.headers().add(Headers.DLQ_SOURCE_PARTITION, bytes(Integer.toString(context.partition())));
        dlq.headers().add(Headers.DLQ_SOURCE_OFFSET, bytes(Long.toString(context.offset())));
        dlq.headers().add(Headers.DLQ_STAGE, bytes(stage));
        dlq.headers().add(Headers.DLQ_REASON, bytes(reason(error)));
        LOG.warn("{} record {}-{}@{} sent to {}: {}", stage, context.topic(), context.partition(), context.offset(),
                Topics.DLQ.name(), reason(error));
        return dlq;
    }

    private static String reason(final Exception error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        final String message = error.getClass().getSimpleName() + ": " + error.getMessage()
                + (root == error ? "" : " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")");
        return message.length() > 1000 ? message.substring(0, 1000) : message;
    }

    private static byte[] bytes(final String s) {
        return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    }

    /** Records that cannot be deserialised. */
    public static final class OnDeserialization implements DeserializationExceptionHandler {
        @Override
        public void configure(final Map<String, ?> configs) {
        }

        @Override
        public Response handleError(final ErrorHandlerContext context, final ConsumerRecord<byte[], byte[]> record,
                                    final Exception exception) {
            if (RegistryFailures.isUnavailable(exception)) {
                // The record is fine and the registry is not answering: fail the task so the replaced stream thread
                // reads it again from the last commit, instead of dead-lettering good data. The pause spaces retries.
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
                return Response.fail();
            }
            return Response.resume(List.of(DeadLetters.record(context, record.key(), record.value(), "deserialization",
                    exception)));
        }
    }

    /** Records that fail inside a processor. */
    public static final class OnProcessing implements ProcessingExceptionHandler {
        @Override
        public void configure(final Map<String, ?> configs) {
        }

        @Override
        public Response handleError(final ErrorHandlerContext context, final Record<?, ?> record,
                                    final Exception exception) {
            return Response.resume(List.of(DeadLetters.record(context, context.sourceRawKey(), context.sourceRawValue(),
                    "processing:" + context.processorNodeId(), exception)));
        }
    }
}
