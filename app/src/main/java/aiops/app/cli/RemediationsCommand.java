package aiops.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code aiops remediations list|approve|reject}: the approval queue of a running server, through its API. */
@Command(name = "remediations", mixinStandardHelpOptions = true,
        description = "List remediation actions; approve or reject pending ones (AIOPS_API_KEY: readonly to list, admin to decide).",
        subcommands = {RemediationsCommand.ListActions.class, RemediationsCommand.Approve.class,
                RemediationsCommand.Reject.class})
public final class RemediationsCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Actions, newest first.")
    static final class ListActions implements Callable<Integer> {
        @Mixin
        KeysCommand.Server server = new KeysCommand.Server();

        @Option(names = "--state", defaultValue = "pending",
                description = "pending, all, dry_run, applied, refused, failed, ... Default: ${DEFAULT-VALUE}.")
        String state;

        @Option(names = "--json", description = "Print the API's JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            final JsonNode doc = server.call("GET", "/api/v1/remediations?state="
                    + java.net.URLEncoder.encode(state, java.nio.charset.StandardCharsets.UTF_8), null);
            final PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(doc.toString());
            } else {
                out.printf(Locale.ROOT, "%-28s %-17s %-20s %-16s %-24s %s%n", "id", "state", "action", "service",
                        "incident", "reason");
                for (final JsonNode a : doc.path("remediations")) {
                    out.printf(Locale.ROOT, "%-28s %-17s %-20s %-16s %-24s %s%n", a.path("id").asText(),
                            a.path("state").asText(), a.path("action").asText(), a.path("service").asText(),
                            a.path("incident_id").asText(), a.path("reason").asText());
                }
            }
            out.flush();
            return 0;
        }
    }

    /** Approve and reject: the same call with another verb. */
    abstract static class Decision implements Callable<Integer> {
        @Mixin
        KeysCommand.Server server = new KeysCommand.Server();

        @Parameters(paramLabel = "ID", description = "Action id (act-...).")
        String id;

        @Spec
        CommandSpec spec;

        abstract String verb();

        @Override
        public Integer call() throws Exception {
            return decide(server, spec, id, verb());
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = "Approve a pending action; the policy's limits and kill switch are checked again.")
    static final class Approve extends Decision {
        @Override
        String verb() {
            return "approve";
        }
    }

    @Command(name = "reject", mixinStandardHelpOptions = true, description = "Reject a pending action.")
    static final class Reject extends Decision {
        @Override
        String verb() {
            return "reject";
        }
    }

    static int decide(final KeysCommand.Server server, final CommandSpec spec, final String id, final String verb)
            throws Exception {
        if (!id.matches("act-[0-9a-f]{24}")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "not an action id: " + id);
        }
        final JsonNode a = server.call("POST", "/api/v1/remediations/" + id + "/" + verb, null);
        spec.commandLine().getOut().printf(Locale.ROOT, "%s %s: %s%n", a.path("id").asText(), a.path("state").asText(),
                a.path("reason").asText());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
