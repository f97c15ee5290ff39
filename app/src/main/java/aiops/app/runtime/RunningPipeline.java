package aiops.app.runtime;

import aiops.common.kafka.KafkaSettings;
import aiops.embedded.EmbeddedStack;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code AIOPS_HOME/endpoints.json}: where a running embedded pipeline's broker and registry listen, written when it
 * is up and removed when it stops, so that client commands ({@code aiops replay}) on the same home use it instead of
 * starting a second one on the same data.
 */
public final class RunningPipeline {

    static final String FILE = "endpoints.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunningPipeline() {
    }

    static void write(final Path home, final KafkaSettings kafka, final String postgres) throws IOException {
        final Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("pid", ProcessHandle.current().pid());
        doc.put("kafka", kafka.bootstrapServers());
        doc.put("registry", kafka.registryUrl());
        doc.put("postgres", postgres);
        final Path tmp = home.resolve(FILE + ".tmp");
        Files.writeString(tmp, JSON.writeValueAsString(doc));
        Files.move(tmp, home.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static void remove(final Path home) {
        try {
            Files.deleteIfExists(home.resolve(FILE));
        } catch (final IOException ignored) {
            // A stale file names a process that no longer holds the home and is ignored by readers.
        }
    }

    /** Where a running pipeline's broker, registry and database listen. */
    public record Endpoints(KafkaSettings kafka, String postgresUrl) {
    }

    /** The pipeline running on {@code home} in another live process, if any. */
    public static Optional<KafkaSettings> find(final Path home) {
        return endpoints(home).map(Endpoints::kafka);
    }

    /** As {@link #find}, with the database's JDBC URL. */
    public static Optional<Endpoints> endpoints(final Path home) {
        final Path file = home.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            final JsonNode doc = JSON.readTree(file.toFile());
            final long pid = doc.path("pid").asLong();
            // The home's lock, not the pid alone: a pid is reused after a crash, a held lock is not left behind.
            final boolean alive = pid != ProcessHandle.current().pid()
                    && EmbeddedStack.ownerOf(home).equals(java.util.OptionalLong.of(pid));
            return alive ? Optional.of(new Endpoints(new KafkaSettings(doc.path("kafka").asText(),
                    doc.path("registry").asText(), Map.of()), doc.path("postgres").asText())) : Optional.empty();
        } catch (final IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
