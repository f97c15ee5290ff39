package aiops.embedded;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The Apicurio Registry server distribution ({@code io.apicurio:apicurio-registry-app:<v>:tar.gz:all}, a Quarkus
 * fast-jar). The build downloads it into the local Maven repository; it is unpacked once under the aiops home.
 */
public final class RegistryDistribution {

    public static final String VERSION = readVersion();

    private RegistryDistribution() {
    }

    /** The archive in the local Maven repository ({@code maven.repo.local}, else {@code ~/.m2/repository}). */
    public static Path defaultArchive() {
        final String repo = Optional.ofNullable(System.getProperty("maven.repo.local"))
                .orElse(System.getProperty("user.home") + "/.m2/repository");
        return Path.of(repo, "io", "apicurio", "apicurio-registry-app", VERSION,
                "apicurio-registry-app-" + VERSION + "-all.tar.gz");
    }

    /**
     * The directory holding {@code quarkus-run.jar}, unpacking {@code archive} into {@code installRoot} first
     * when needed. Unpacking goes to a temporary directory that is renamed at the end, so a crash never leaves
     * a half-unpacked server behind.
     */
    public static Path install(final Path archive, final Path installRoot) {
        final Path target = installRoot.resolve("apicurio-registry-" + VERSION);
        final Optional<Path> existing = findRunJarDir(target);
        if (existing.isPresent()) {
            return existing.get();
        }
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("Apicurio Registry archive not found at " + archive
                    + "; build once with ./mvnw (it downloads it) or set AIOPS_REGISTRY_ARCHIVE");
        }
        try {
            Files.createDirectories(installRoot);
            final Path tmp = Files.createTempDirectory(installRoot, "unpack-");
            untar(archive, tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not unpack " + archive + ": " + e.getMessage(), e);
        }
        return findRunJarDir(target)
                .orElseThrow(() -> new IllegalStateException("no quarkus-run.jar inside " + archive));
    }

    private static void untar(final Path archive, final Path into) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(raw))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                final Path out = into.resolve(entry.getName()).normalize();
                if (!out.startsWith(into)) {
                    throw new IOException("archive entry escapes the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else if (entry.isFile()) {
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static Optional<Path> findRunJarDir(final Path root) {
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.walk(root, 4)) {
            return files.filter(p -> p.getFileName().toString().equals("quarkus-run.jar")).map(Path::getParent)
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String readVersion() {
        final Properties props = new Properties();
        try (InputStream in = RegistryDistribution.class.getResourceAsStream("/aiops-embedded.properties")) {
            props.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("aiops-embedded.properties missing from the classpath", e);
        }
        return props.getProperty("registry.version");
    }
}
