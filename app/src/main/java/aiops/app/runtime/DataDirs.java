package aiops.app.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Data directories of throw-away runs (demo, bench, eval), emptied before each run. */
public final class DataDirs {

    private DataDirs() {
    }

    /** Deletes {@code home/<name>} for each name; the registry's unpacked server under {@code home} is kept. */
    public static void wipe(final Path home, final String... names) throws IOException {
        for (final String name : names) {
            final Path dir = home.resolve(name);
            if (!Files.exists(dir)) {
                continue;
            }
            try (Stream<Path> paths = Files.walk(dir)) {
                for (final Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
