package aiops.app.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of aiops, from the build's {@code aiops-version.properties}. */
public final class BuildInfo {

    private BuildInfo() {
    }

    public static String version() {
        final Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/aiops-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (final IOException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }
}
