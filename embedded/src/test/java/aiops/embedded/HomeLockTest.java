package aiops.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HomeLockTest {

    private static final String SELF = Long.toString(ProcessHandle.current().pid());

    @Test
    void aHeldHomeShouldNameItsOwnerHereAndInOtherProcesses(@TempDir final Path home) throws Exception {
        assertThat(HomeLock.holder(home)).isEmpty();
        try (HomeLock lock = HomeLock.acquire(home)) {
            assertThat(HomeLock.holder(home)).hasValue(ProcessHandle.current().pid());
            assertThat(probe(home)).isEqualTo(SELF);
        }
        assertThat(probe(home)).isEqualTo("free");
        assertThat(HomeLock.holder(home)).isEmpty();
    }

    @Test
    void aRefusedSecondStartInTheSameProcessShouldNotReleaseTheFirstOnesLock(@TempDir final Path home) throws Exception {
        try (HomeLock first = HomeLock.acquire(home)) {
            assertThatThrownBy(() -> HomeLock.acquire(home)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use by another running aiops process (pid " + SELF + ")");
            assertThatThrownBy(() -> HomeLock.acquire(home.resolve("..").resolve(home.getFileName())))
                    .as("the same home by another path").isInstanceOf(IllegalStateException.class);
            // Closing any descriptor of the file would have dropped the process's lock: another process would see it free.
            assertThat(probe(home)).isEqualTo(SELF);
        }
        try (HomeLock again = HomeLock.acquire(home)) {
            assertThat(HomeLock.holder(home)).isPresent();
        }
    }

    private static String probe(final Path home) throws IOException, InterruptedException {
        final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        final Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                LockProbe.class.getName(), home.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the probe exits").isTrue();
        final String[] lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().split("\n");
        return lines[lines.length - 1].trim();
    }
}
