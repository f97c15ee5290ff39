package aiops.app.cli;

import aiops.common.config.AiopsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config} option every command shares. */
public final class ConfigOption {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file with settings (keys as in the configuration table); "
                    + "environment variables AIOPS_* override it. Default: $AIOPS_CONFIG_FILE.")
    private Path file;

    public AiopsConfig load() {
        if (file != null && !Files.isRegularFile(file)) {
            throw new aiops.common.config.ConfigException("--config: no such file " + file);
        }
        return AiopsConfig.fromEnvironment(file);
    }
}
