package aiops.schemas;

/** Kafka record header names the pipeline reads and writes. */
public final class Headers {

    /** Replay run id; records carrying it never cause real remediation or external notification. */
    public static final String REPLAY = "aiops-replay";
    /** W3C trace context, carried from webhook to notification. */
    public static final String TRACEPARENT = "traceparent";
    /** DLQ: topic the poison record came from. */
    public static final String DLQ_SOURCE_TOPIC = "aiops-dlq-topic";
    /** DLQ: partition the poison record came from. */
    public static final String DLQ_SOURCE_PARTITION = "aiops-dlq-partition";
    /** DLQ: offset of the poison record. */
    public static final String DLQ_SOURCE_OFFSET = "aiops-dlq-offset";
    /** DLQ: which stage refused it. */
    public static final String DLQ_STAGE = "aiops-dlq-stage";
    /** DLQ: why it was refused, one line. */
    public static final String DLQ_REASON = "aiops-dlq-reason";

    private Headers() {
    }
}
