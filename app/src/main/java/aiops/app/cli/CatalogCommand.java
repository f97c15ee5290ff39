package aiops.app.cli;

import aiops.avro.ServiceEntry;
import aiops.common.kafka.KafkaSettings;
import aiops.ingest.streams.CatalogLoader;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code aiops catalog load FILE}: writes a catalog.yaml to the compacted catalogue topic. */
@Command(name = "catalog", mixinStandardHelpOptions = true, description = "The service catalogue.",
        subcommands = CatalogCommand.Load.class)
public final class CatalogCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "load", mixinStandardHelpOptions = true,
            description = "Validate FILE (scenario catalog.yaml format) and write every service to aiops.catalog.")
    static final class Load implements Callable<Integer> {
        @Parameters(paramLabel = "FILE")
        private Path file;

        @Mixin
        private ConfigOption config;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(file)) {
                throw new aiops.common.config.ConfigException(file + ": no such file");
            }
            final List<ServiceEntry> entries;
            try (InputStream in = Files.newInputStream(file)) {
                entries = CatalogLoader.parse(in, file.toString());
            } catch (CatalogLoader.CatalogException e) {
                throw new aiops.common.config.ConfigException(e.getMessage());
            }
            final int n = CatalogLoader.publish(KafkaSettings.from(config.load()), entries);
            spec.commandLine().getOut().println("loaded " + n + " services into aiops.catalog");
            return 0;
        }
    }
}
