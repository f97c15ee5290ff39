package aiops.ingest.scenario;

import aiops.ingest.normalize.InvalidSignalException;
import aiops.ingest.normalize.SignalKind;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Reads scenario folders; every error names the file and line. */
public final class ScenarioReader {

    public static final String SIGNALS = "signals.ndjson";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One scenario folder, or every scenario in a folder of scenario folders. */
    public List<Scenario> readAll(final Path path) throws IOException {
        if (Files.isRegularFile(path.resolve(SIGNALS))) {
            return List.of(read(path));
        }
        if (!Files.isDirectory(path)) {
            throw new ScenarioException(path + ": no such scenario folder");
        }
        final List<Scenario> scenarios = new ArrayList<>();
        try (Stream<Path> children = Files.list(path)) {
            for (final Path child : children.sorted().toList()) {
                if (Files.isRegularFile(child.resolve(SIGNALS))) {
                    scenarios.add(read(child));
                }
            }
        }
        if (scenarios.isEmpty()) {
            throw new ScenarioException(path + ": holds neither " + SIGNALS + " nor scenario folders");
        }
        return scenarios;
    }

    public Scenario read(final Path folder) throws IOException {
        final Path signals = folder.resolve(SIGNALS);
        try (InputStream in = Files.newInputStream(signals)) {
            return new Scenario(folder.getFileName().toString(), parse(in, signals.toString()),
                    existing(folder.resolve("catalog.yaml")), existing(folder.resolve("truth.json")));
        }
    }

    /** Parses {@code signals.ndjson} content; {@code origin} names it in errors. */
    public List<Scenario.Signal> parse(final InputStream in, final String origin) throws IOException {
        final List<Scenario.Signal> out = new ArrayList<>();
        final BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        Instant previous = Instant.MIN;
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            final Scenario.Signal signal = signal(line, origin, number);
            if (signal.at().isBefore(previous)) {
                throw new ScenarioException(origin + ":" + number + ": 'at' goes back in time (signals must be in "
                        + "non-decreasing order)");
            }
            previous = signal.at();
            out.add(signal);
        }
        return out;
    }

    private static Scenario.Signal signal(final String line, final String origin, final int number) {
        final JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new ScenarioException(origin + ":" + number + ": not JSON: " + e.getOriginalMessage());
        }
        if (!node.isObject()) {
            throw new ScenarioException(origin + ":" + number + ": must be a JSON object");
        }
        final JsonNode at = node.get("at");
        final JsonNode kind = node.get("kind");
        final JsonNode body = node.get("body");
        if (at == null || !at.isTextual()) {
            throw new ScenarioException(origin + ":" + number + ": 'at' is required (RFC 3339 instant)");
        }
        if (body == null || !(body.isObject() || body.isArray())) {
            throw new ScenarioException(origin + ":" + number + ": 'body' is required (object or array)");
        }
        try {
            SignalKind.parse(kind == null ? null : kind.asText());
            return new Scenario.Signal(number, Instant.parse(at.asText()), kind.asText(), body);
        } catch (DateTimeParseException e) {
            throw new ScenarioException(origin + ":" + number + ": 'at' is not an RFC 3339 instant: " + at.asText());
        } catch (InvalidSignalException e) {
            throw new ScenarioException(origin + ":" + number + ": " + e.getMessage());
        }
    }

    private static Optional<Path> existing(final Path file) {
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }
}
