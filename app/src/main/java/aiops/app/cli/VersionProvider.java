package aiops.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** Version of aiops and of the Kafka and registry it embeds, from the build. */
public final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() throws IOException {
        final Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("/aiops-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        }
        return new String[] {
            "aiops " + p.getProperty("version", "unknown"),
            "Kafka " + p.getProperty("kafka", "unknown") + ", Apicurio Registry " + p.getProperty("registry", "unknown"),
            "Java " + Runtime.version()
        };
    }
}
