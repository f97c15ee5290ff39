package aiops.app.cli;

import aiops.common.config.ConfigException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aiops keys create|list|revoke}: API key administration through a running server's admin API, so it works
 * the same against {@code aiops run} and a deployed ingest. Authenticates with the admin key in {@code AIOPS_API_KEY}.
 */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage API keys (needs an admin key).",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
public final class KeysCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where the server is and the admin key to use. */
    static final class Server {
        @Option(names = "--url", paramLabel = "URL", description = "API base URL. Default: http://127.0.0.1:$AIOPS_HTTP_PORT (8080).")
        String url;

        private static final ObjectMapper JSON = new ObjectMapper();

        String base() {
            if (url != null) {
                return url.replaceAll("/+$", "");
            }
            final String port = System.getenv().getOrDefault("AIOPS_HTTP_PORT", "8080");
            return "http://127.0.0.1:" + port;
        }

        JsonNode call(final String method, final String path, final JsonNode body) throws IOException, InterruptedException {
            final String key = System.getenv("AIOPS_API_KEY");
            if (key == null || key.isBlank()) {
                throw new ConfigException("AIOPS_API_KEY: an API key is required (admin to change things)");
            }
            final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                    .timeout(Duration.ofSeconds(15)).header("Authorization", "Bearer " + key)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body.toString()));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            final HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                final String detail = response.body().isEmpty() ? "" : JSON.readTree(response.body()).path("error")
                        .path("message").asText(response.body());
                throw new IllegalStateException("server answered " + response.statusCode() + ": " + detail);
            }
            return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a key; prints it once. Only its SHA-256 hash is stored.")
    static final class Create implements Callable<Integer> {
        @Option(names = "--name", required = true, description = "Who or what uses the key.")
        String name;
        @Option(names = "--role", defaultValue = "user", description = "admin, user or readonly. Default: ${DEFAULT-VALUE}.")
        String role;
        @Option(names = "--rate-limit", paramLabel = "PER_MINUTE", description = "Requests per minute for this key.")
        Integer rateLimit;
        @Option(names = "--expires-at", paramLabel = "INSTANT", description = "RFC 3339 expiry.")
        String expiresAt;
        @picocli.CommandLine.Mixin
        Server server = new Server();
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            final ObjectNode body = new ObjectMapper().createObjectNode().put("name", name)
                    .put("role", role.toLowerCase(Locale.ROOT));
            if (rateLimit != null) {
                body.put("rate_limit_per_minute", rateLimit);
            }
            if (expiresAt != null) {
                body.put("expires_at", expiresAt);
            }
            final JsonNode created = server.call("POST", "/api/v1/keys", body);
            final PrintWriter out = spec.commandLine().getOut();
            out.println("id   " + created.path("id").asText());
            out.println("role " + created.path("role").asText());
            out.println("key  " + created.path("key").asText() + "   (shown once: store it now)");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (never their values).")
    static final class ListKeys implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        Server server = new Server();
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            final PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "%-16s %-9s %-24s %-10s %s%n", "ID", "ROLE", "NAME", "STATE", "RATE/MIN");
            for (final JsonNode key : server.call("GET", "/api/v1/keys", null).path("keys")) {
                out.printf(Locale.ROOT, "%-16s %-9s %-24s %-10s %s%n", key.path("id").asText(), key.path("role").asText(),
                        key.path("name").asText(), key.path("revoked_at").isNull() ? "active" : "revoked",
                        key.path("rate_limit_per_minute").isNull() ? "default" : key.path("rate_limit_per_minute").asText());
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key by id.")
    static final class Revoke implements Callable<Integer> {
        @Parameters(paramLabel = "ID")
        String id;
        @picocli.CommandLine.Mixin
        Server server = new Server();
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            server.call("DELETE", "/api/v1/keys/" + id, null);
            spec.commandLine().getOut().println("revoked " + id);
            return 0;
        }
    }
}
