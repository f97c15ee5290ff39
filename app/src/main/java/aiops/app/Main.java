package aiops.app;

import aiops.app.cli.AiopsCommand;

/** Entry point of the {@code aiops} command. */
public final class Main {

    private Main() {
    }

    public static void main(final String[] args) {
        LogSetup.beforeFirstLogger(args);
        aiops.schemas.AvroSerdes.trustGeneratedClasses();
        System.exit(AiopsCommand.commandLine().execute(args));
    }
}
