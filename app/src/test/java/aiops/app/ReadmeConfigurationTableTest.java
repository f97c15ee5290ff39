package aiops.app;

import static org.assertj.core.api.Assertions.assertThat;

import aiops.common.config.ConfigKey;
import aiops.common.config.CoreConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's configuration table names every key the code reads, with its file name. */
class ReadmeConfigurationTableTest {

    @Test
    void shouldDocumentEveryConfigurationKey() throws IOException {
        final String readme = Files.readString(Path.of("..", "README.md"));
        final java.util.List<ConfigKey<?>> keys = new java.util.ArrayList<>(CoreConfig.ALL);
        keys.addAll(aiops.ingest.streams.StreamsConfigKeys.ALL);
        keys.addAll(aiops.analyzer.AnalyzerConfig.ALL);
        keys.addAll(aiops.ledger.LedgerSettings.ALL);
        keys.addAll(aiops.remediator.RemediatorSettings.ALL);
        keys.addAll(aiops.forecast.ForecastSettings.ALL);
        keys.addAll(aiops.assistant.AssistantSettings.ALL);
        for (final ConfigKey<?> key : keys) {
            assertThat(readme).as("README row for %s", key.envName())
                    .contains("| `" + key.envName() + "` | `" + key.name() + "` |");
        }
    }
}
