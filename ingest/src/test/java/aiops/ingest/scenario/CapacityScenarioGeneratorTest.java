package aiops.ingest.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import aiops.ingest.streams.CatalogLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CapacityScenarioGeneratorTest {

    @TempDir
    Path dir;

    @Test
    void shouldWriteReadableHistoryWithCapacityAndExpectedExhaustions() throws Exception {
        final List<Path> written = CapacityScenarioGenerator.generate(dir.resolve("a"), 3, 1, 21);
        CapacityScenarioGenerator.generate(dir.resolve("b"), 3, 1, 21);
        final Path scenario = written.get(0);

        assertThat(Files.readString(scenario.resolve("signals.ndjson")))
                .as("same seed, same files").isEqualTo(Files.readString(dir.resolve("b/cap-3-00/signals.ndjson")));
        final Scenario read = new ScenarioReader().read(scenario);
        assertThat(read.signals()).hasSize(21 * 24).allSatisfy(s -> assertThat(s.kind()).isEqualTo("metric"));
        try (InputStream in = Files.newInputStream(scenario.resolve("catalog.yaml"))) {
            assertThat(CatalogLoader.parse(in, "catalog.yaml")).filteredOn(e -> e.getCapacity() != null)
                    .anySatisfy(e -> assertThat(e.getCapacity().getQpsPerReplica()).isPositive())
                    .anySatisfy(e -> assertThat(e.getCapacity().getLimits()).containsKey("disk_used_ratio"));
        }
        final JsonNode truth = new ObjectMapper().readTree(scenario.resolve("truth.json").toFile());
        assertThat(truth.path("forecasts")).anySatisfy(f -> assertThat(f.path("exhausted_at").isTextual()).isTrue())
                .anySatisfy(f -> assertThat(f.path("exhausted_at").isNull()).isTrue());
    }

    @Test
    void shouldCrossTheLimitWhereTruthSaysForFillingDisks() {
        for (final CapacitySeries s : CapacityScenarioGenerator.series(9, 490_000, 35)) {
            if (s.exhaustedHour() >= 0) {
                assertThat(s.values()[s.exhaustedHour() - 24]).isLessThan(s.limit());
                assertThat(s.exhaustedHour()).isBetween(35 * 24 - 20, 35 * 24 - 6);
            }
        }
    }
}
