package aiops.app.cli;

import aiops.ingest.scenario.ScenarioGenerator;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code aiops scenarios generate}: realistic cascades with truth, in the replay format. */
@Command(name = "scenarios", mixinStandardHelpOptions = true, description = "Scenario files.",
        subcommands = ScenariosCommand.Generate.class)
public final class ScenariosCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Write K generated scenarios (signals.ndjson, catalog.yaml, truth.json) under DIR.")
    static final class Generate implements Callable<Integer> {
        @Option(names = "--out", required = true, paramLabel = "DIR")
        private Path out;
        @Option(names = "--seed", defaultValue = "1", description = "Same seed, same files. Default: ${DEFAULT-VALUE}.")
        private long seed;
        @Option(names = "--count", defaultValue = "5", description = "Scenarios to write. Default: ${DEFAULT-VALUE}.")
        private int count;
        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            for (final Path dir : ScenarioGenerator.generate(out, seed, count)) {
                spec.commandLine().getOut().println("wrote " + dir);
            }
            return 0;
        }
    }
}
