package aiops.ingest.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A scenario: signals in time order, with an optional service catalogue and ground truth
 * (format: the project's scenario specification).
 */
public record Scenario(String name, List<Signal> signals, Optional<Path> catalog, Optional<Path> truth) {

    /** One line of {@code signals.ndjson}. */
    public record Signal(int line, Instant at, String kind, JsonNode body) {
    }
}
