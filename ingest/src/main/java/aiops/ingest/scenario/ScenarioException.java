package aiops.ingest.scenario;

/** A scenario file that does not follow the format; the message names file and line. */
public final class ScenarioException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ScenarioException(final String message) {
        super(message);
    }
}
