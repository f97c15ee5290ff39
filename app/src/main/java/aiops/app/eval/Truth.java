package aiops.app.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A scenario's {@code truth.json}: the incidents it should produce. */
public record Truth(List<Expected> incidents) {

    /** One expected incident: root cause, affected services and its time range. */
    public record Expected(String id, String rootService, String fault, Set<String> affected, Instant start,
                           Instant end) {

        /** Root cause and affected services together: the services whose alerts belong to this incident. */
        public Set<String> services() {
            final Set<String> all = new LinkedHashSet<>();
            all.add(rootService);
            all.addAll(affected);
            return all;
        }
    }

    public static Truth read(final Path file) throws IOException {
        final JsonNode root = new ObjectMapper().readTree(Files.readString(file));
        final List<Expected> out = new ArrayList<>();
        for (final JsonNode i : root.path("incidents")) {
            final Set<String> affected = new LinkedHashSet<>();
            i.path("affected").forEach(a -> affected.add(a.asText()));
            out.add(new Expected(i.path("id").asText(), i.path("root_cause").path("service").asText(),
                    i.path("root_cause").path("fault").asText(null), affected, Instant.parse(i.path("start").asText()),
                    Instant.parse(i.path("end").asText())));
        }
        return new Truth(out);
    }
}
