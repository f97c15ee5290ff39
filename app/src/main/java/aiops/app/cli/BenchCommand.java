package aiops.app.cli;

import aiops.app.bench.IngestBenchCommand;
import aiops.app.bench.AnalyzerBenchCommand;
import aiops.app.bench.LedgerBenchCommand;
import aiops.app.bench.StreamsBenchCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code aiops bench ...}: benchmarks that print figures. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks on the embedded stack.",
        subcommands = {IngestBenchCommand.class, StreamsBenchCommand.class, AnalyzerBenchCommand.class,
                LedgerBenchCommand.class, aiops.app.bench.ForecastBenchCommand.class})
public final class BenchCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
