package aiops.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import aiops.avro.Incident;
import aiops.schemas.AvroSerdes;
import aiops.schemas.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serdes built and closed one after another, as a reader that takes a topic snapshot per call does, must not leave
 * connections open on the registry: each one is a file descriptor of the registry process, and a registry out of
 * descriptors stops answering.
 */
@Tag("integration")
@Timeout(180)
class RegistryConnectionsIT {

    @Test
    void shouldNotLeaveAConnectionOnTheRegistryPerClosedSerde(@TempDir final Path home) throws Exception {
        try (EmbeddedRegistry registry = EmbeddedRegistry.start(home, RegistryDistribution.defaultArchive(), null)) {
            final Path descriptors = Path.of("/proc", Long.toString(registry.pid()), "fd");
            assumeThat(Files.isDirectory(descriptors)).as("/proc lists the registry's descriptors").isTrue();
            final Set<String> schemaIds = new HashSet<>();
            serialize(registry, 0, schemaIds);
            final long before = openDescriptors(descriptors);

            for (int i = 1; i <= 150; i++) {
                serialize(registry, i, schemaIds);
            }

            assertThat(schemaIds).as("every serde wrote the same registered schema id").hasSize(1);
            assertThat(openDescriptors(descriptors)).as("registry descriptors after 150 closed serdes")
                    .isLessThan(before + 20);
        }
    }

    private static void serialize(final EmbeddedRegistry registry, final int seed, final Set<String> schemaIds)
            throws IOException {
        try (Serde<Incident> serde = AvroSerdes.valueSerde(Topics.INCIDENTS,
                AvroSerdes.registryConfig(registry.apiUrl()))) {
            final byte[] wire = serde.serializer().serialize(Topics.INCIDENTS.name(),
                    AvroRoundTripIT.sample(Topics.INCIDENTS, seed));
            assertThat(wire[0]).as("magic byte").isZero();
            schemaIds.add(Arrays.toString(Arrays.copyOfRange(wire, 1, 5)));
        }
    }

    private static long openDescriptors(final Path descriptors) throws IOException {
        try (Stream<Path> open = Files.list(descriptors)) {
            return open.count();
        }
    }
}
