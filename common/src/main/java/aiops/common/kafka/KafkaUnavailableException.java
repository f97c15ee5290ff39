package aiops.common.kafka;

/** Kafka could not be reached or refused an administrative request. */
public final class KafkaUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public KafkaUnavailableException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
