package aiops.ingest.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import aiops.avro.ServiceEntry;
import aiops.ingest.streams.CatalogLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioGeneratorTest {

    @Test
    void shouldWriteTheSameFilesForTheSameSeed(@TempDir final Path a, @TempDir final Path b) throws IOException {
        ScenarioGenerator.generate(a, 7, 2);
        ScenarioGenerator.generate(b, 7, 2);

        for (final String file : List.of("gen-7-00/signals.ndjson", "gen-7-01/truth.json", "gen-7-01/catalog.yaml")) {
            assertThat(Files.readString(a.resolve(file))).isEqualTo(Files.readString(b.resolve(file)));
        }
        ScenarioGenerator.generate(b, 8, 1);
        assertThat(Files.readString(b.resolve("gen-8-00/signals.ndjson")))
                .isNotEqualTo(Files.readString(a.resolve("gen-7-00/signals.ndjson")));
    }

    @Test
    void shouldWriteScenariosTheReaderAcceptsWithTruthAboutCataloguedServices(@TempDir final Path dir)
            throws IOException {
        ScenarioGenerator.generate(dir, 3, 8);

        final List<Scenario> scenarios = new ScenarioReader().readAll(dir);
        assertThat(scenarios).hasSize(8);
        final Set<String> faults = new java.util.HashSet<>();
        for (final Scenario s : scenarios) {
            final List<ServiceEntry> catalog;
            try (InputStream in = Files.newInputStream(s.catalog().orElseThrow())) {
                catalog = CatalogLoader.parse(in, "catalog.yaml");
            }
            final Set<String> services = catalog.stream().map(ServiceEntry::getName).collect(Collectors.toSet());
            assertThat(services).hasSize(20);
            final JsonNode truth = new ObjectMapper().readTree(Files.readString(s.truth().orElseThrow()));
            for (final JsonNode incident : truth.path("incidents")) {
                final String root = incident.path("root_cause").path("service").asText();
                faults.add(incident.path("root_cause").path("fault").asText());
                assertThat(services).contains(root);
                incident.path("affected").forEach(svc -> assertThat(services).contains(svc.asText()));
                assertThat(s.signals()).as("the root cause raises alerts")
                        .anyMatch(sig -> sig.body().toString().contains("\"service\":\"" + root + "\""));
            }
            assertThat(s.signals()).extracting(Scenario.Signal::kind)
                    .contains("alertmanager", "log", "metric", "generic", "datadog");
        }
        assertThat(faults).as("eight scenarios cover the eight fault kinds").hasSize(8);
    }
}
