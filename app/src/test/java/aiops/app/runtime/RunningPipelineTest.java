package aiops.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import aiops.common.kafka.KafkaSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunningPipelineTest {

    private static final KafkaSettings KAFKA = new KafkaSettings("127.0.0.1:1", "http://127.0.0.1:2/apis/registry/v3", Map.of());

    @Test
    void anEndpointsFileShouldBeIgnoredWhenItsPidIsAliveButDoesNotHoldTheHome(@TempDir final Path home) throws Exception {
        // A crashed pipeline's pid reused by an unrelated process: alive, but holding no lock on the home.
        final Process unrelated = new ProcessBuilder("sleep", "120").start();
        try {
            writeNaming(home, unrelated.pid());
            assertThat(unrelated.isAlive()).as("the pid the file names is alive").isTrue();
            assertThat(RunningPipeline.find(home)).isEmpty();
            assertThat(RunningPipeline.endpoints(home)).isEmpty();
        } finally {
            unrelated.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aGarbledEndpointsFileShouldBeIgnoredAndRemovable(@TempDir final Path home) throws Exception {
        java.nio.file.Files.writeString(home.resolve(RunningPipeline.FILE), "{not json");
        assertThat(RunningPipeline.find(home)).isEmpty();
        RunningPipeline.remove(home);
        assertThat(home.resolve(RunningPipeline.FILE)).doesNotExist();
    }

    private static void writeNaming(final Path home, final long pid) throws Exception {
        RunningPipeline.write(home, KAFKA, "jdbc:postgresql://127.0.0.1:3/aiops");
        final Path file = home.resolve(RunningPipeline.FILE);
        final String doc = java.nio.file.Files.readString(file);
        java.nio.file.Files.writeString(file, doc.replaceFirst("\"pid\":\\d+", "\"pid\":" + pid));
    }
}
