package aiops.app.cli;

import aiops.ingest.scenario.CapacityScenarioGenerator;
import aiops.ingest.scenario.ScenarioGenerator;
import java.util.List;
import picocli.CommandLine;
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
        @Option(names = "--capacity", description = "Capacity scenarios instead of incident cascades: weeks of hourly "
                + "metric history (daily and weekly cycles, growth, noise, a holiday), disks filling up, and the "
                + "expected exhaustions in truth.json (named cap-<seed>-<i>).")
        private boolean capacity;
        @Option(names = "--history-days", defaultValue = "35", paramLabel = "DAYS",
                description = "Days of metric history of a capacity scenario (1-90). Default: ${DEFAULT-VALUE}.")
        private int historyDays;
        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (count < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--count must be at least 1");
            }
            final List<Path> written;
            try {
                written = capacity ? CapacityScenarioGenerator.generate(out, seed, count, historyDays)
                        : ScenarioGenerator.generate(out, seed, count);
            } catch (final IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            for (final Path dir : written) {
                spec.commandLine().getOut().println("wrote " + dir);
            }
            return 0;
        }
    }
}
