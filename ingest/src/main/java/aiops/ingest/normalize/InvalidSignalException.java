package aiops.ingest.normalize;

/** A signal that cannot be normalised; names the offending field so the sender can fix it (answered as 4xx). */
public final class InvalidSignalException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public InvalidSignalException(final String field, final String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
