package aiops.ingest.publish;

/** Kafka did not acknowledge a write; the sender must be told to retry (HTTP 503), never that it succeeded. */
public final class PublishException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PublishException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
