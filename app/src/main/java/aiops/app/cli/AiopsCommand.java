package aiops.app.cli;

import aiops.common.config.ConfigException;
import aiops.ingest.scenario.ScenarioException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The root {@code aiops} command: lists the verb groups. */
@Command(name = "aiops", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Event-driven AIOps pipeline on Apache Kafka.",
        subcommands = {DemoCommand.class, RunCommand.class, IngestCommand.class, StreamsCommand.class, AnalyzerCommand.class,
                LedgerCommand.class, PricesCommand.class, ForecasterCommand.class, ForecastCommand.class,
                RemediatorCommand.class, RemediationsCommand.class, AssistantCommand.class, McpCommand.class,
                KeysCommand.class,
                CatalogCommand.class, ScenariosCommand.class, aiops.app.replay.ReplayCommand.class, BenchCommand.class,
                aiops.app.eval.EvalCommand.class,
                TopicsCommand.class, ConfigCommand.class,
                CommandLine.HelpCommand.class})
public final class AiopsCommand implements Runnable {

    /** Invalid or missing configuration or input. */
    public static final int EXIT_CONFIG = 2;
    /** Anything else that went wrong. */
    public static final int EXIT_FAILURE = 1;

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command; see aiops --help");
    }

    public static CommandLine commandLine() {
        final CommandLine cli = new CommandLine(new AiopsCommand());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            final boolean config = e instanceof ConfigException || e instanceof ScenarioException;
            commandLine.getErr().println("error: " + oneLine(e));
            return config ? EXIT_CONFIG : EXIT_FAILURE;
        });
        return cli;
    }

    private static String oneLine(final Throwable e) {
        final String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replace('\n', ' ');
    }
}
