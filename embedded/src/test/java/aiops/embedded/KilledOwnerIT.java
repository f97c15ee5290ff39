package aiops.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import aiops.common.config.AiopsConfig;
import aiops.common.config.CoreConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stack's owner JVM is killed outright: its PostgreSQL and registry keep running. While the owner lived, a second
 * stack on the same home is refused; once it is dead, the next start stops what it left and comes up on the same data.
 */
@Tag("integration")
@Timeout(300)
class KilledOwnerIT {

    @Test
    void theNextStartShouldStopWhatAKilledOwnerLeftRunningButNeverALiveOwnersProcesses(@TempDir final Path home)
            throws Exception {
        final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        final Process owner = new ProcessBuilder(java.toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                StackHolder.class.getName(), home.toString()).redirectErrorStream(true).start();
        try {
            final CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> readyLine(owner));
            final String line = ready.get(180, TimeUnit.SECONDS);
            assertThat(line).as("the owner started its stack").startsWith(StackHolder.READY);
            final AiopsConfig config = AiopsConfig.of(Map.of(), new Properties(), null).with(CoreConfig.HOME, home.toString());

            assertThatThrownBy(() -> EmbeddedStack.start(config)).hasMessageContaining("in use by another running aiops process")
                    .hasMessageContaining(Long.toString(owner.pid()));
            assertThat(EmbeddedStack.ownerOf(home)).hasValue(owner.pid());
            final List<ProcessHandle> children = owner.descendants().filter(ProcessHandle::isAlive).toList();
            assertThat(children).as("a refused start leaves the owner's processes alone").isNotEmpty()
                    .allMatch(ProcessHandle::isAlive);
            final List<ProcessHandle> leftBehind = runningOn(home).filter(p -> p.pid() != owner.pid()).toList();

            owner.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            assertThat(leftBehind).as("PostgreSQL and the registry outlive a killed owner").hasSizeGreaterThanOrEqualTo(2)
                    .allMatch(ProcessHandle::isAlive);

            assertThat(EmbeddedStack.ownerOf(home)).as("a killed owner's lock is gone with it").isEmpty();
            try (EmbeddedStack again = EmbeddedStack.start(config);
                 Connection c = DriverManager.getConnection(again.postgres().jdbcUrl());
                 Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(leftBehind).noneMatch(ProcessHandle::isAlive);
            }
        } finally {
            owner.destroyForcibly();
            runningOn(home).forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static java.util.stream.Stream<ProcessHandle> runningOn(final Path home) {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(home.toString())).orElse(false));
    }

    private static String readyLine(final Process process) {
        final BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(StackHolder.READY)) {
                    // Keep draining so the owner never blocks on a full pipe.
                    final Thread drainer = new Thread(() -> drain(out), "owner-output");
                    drainer.setDaemon(true);
                    drainer.start();
                    return line;
                }
            }
            return "exited " + process.waitFor();
        } catch (Exception e) {
            return "failed: " + e;
        }
    }

    private static void drain(final BufferedReader reader) {
        try {
            while (reader.readLine() != null) {
                // discard
            }
        } catch (java.io.IOException e) {
            // the owner is gone
        }
    }
}
