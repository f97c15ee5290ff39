package aiops.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/** Finds a Java runtime of at least a given feature version, for child processes that need a newer JDK. */
public final class JavaRuntimes {

    private static final Path JVM_ROOT = Path.of("/usr/lib/jvm");

    private JavaRuntimes() {
    }

    /**
     * The {@code java} executable to use: {@code configured} (an executable or a JDK home) when given,
     * else the newest JDK under {@code /usr/lib/jvm} of at least {@code minVersion}, else this JVM when new enough.
     */
    public static Optional<Path> find(final int minVersion, final String configured) {
        if (configured != null && !configured.isBlank()) {
            final Path p = Path.of(configured);
            final Path exe = Files.isDirectory(p) ? p.resolve("bin/java") : p;
            return Files.isExecutable(exe) ? Optional.of(exe) : Optional.empty();
        }
        final Optional<Path> installed = installedJdks().stream()
                .filter(home -> featureVersion(home) >= minVersion)
                .max(Comparator.comparingInt(JavaRuntimes::featureVersion))
                .map(home -> home.resolve("bin/java"));
        if (installed.isPresent()) {
            return installed;
        }
        if (Runtime.version().feature() >= minVersion) {
            return Optional.of(Path.of(System.getProperty("java.home"), "bin", "java"));
        }
        return Optional.empty();
    }

    private static List<Path> installedJdks() {
        if (!Files.isDirectory(JVM_ROOT)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(JVM_ROOT)) {
            return dirs.filter(d -> Files.isExecutable(d.resolve("bin/java")) && Files.isRegularFile(d.resolve("release")))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The feature version from a JDK's {@code release} file; 0 when unreadable. */
    static int featureVersion(final Path home) {
        final Properties release = new Properties();
        try (var in = Files.newBufferedReader(home.resolve("release"))) {
            release.load(in);
        } catch (IOException e) {
            return 0;
        }
        final String v = release.getProperty("JAVA_VERSION", "\"0\"").replace("\"", "");
        final String first = v.startsWith("1.") ? v.substring(2) : v;
        try {
            return Integer.parseInt(first.split("[.+-]")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
