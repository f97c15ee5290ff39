package aiops.ingest.streams;

/**
 * Whether the correlator's inputs still hold records this application has not fetched. The correlator's idle flush
 * asks before draining its reorder buffer: input that went quiet because the stream thread was busy elsewhere (a
 * backlog, a cold start) is not the end of a burst, and flushing then would apply one partition's alerts far ahead
 * of another's.
 */
@FunctionalInterface
public interface InputBacklog {

    /** For a topology driven by hand, where nothing waits upstream. */
    InputBacklog NONE = () -> false;

    boolean pending();
}
