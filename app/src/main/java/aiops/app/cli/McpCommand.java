package aiops.app.cli;

import aiops.analyzer.llm.LlmSettings;
import aiops.app.runtime.Database;
import aiops.app.runtime.EmbeddedRuntime;
import aiops.app.runtime.RunningPipeline;
import aiops.assistant.AssistantService;
import aiops.assistant.AssistantSettings;
import aiops.common.auth.ApiKeyStore;
import aiops.common.auth.Authenticator;
import aiops.common.auth.Principal;
import aiops.common.auth.TokenService;
import aiops.common.config.AiopsConfig;
import aiops.common.config.CoreConfig;
import aiops.common.http.ApiError;
import aiops.common.kafka.KafkaSettings;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.modelcontextprotocol.server.McpSyncServer;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code aiops mcp --stdio}: the MCP tools over stdin/stdout for desktop clients, acting for the API key in
 * {@code AIOPS_API_KEY} (its role applies, as over HTTP). Reads the index a running {@code aiops run} or
 * {@code aiops assistant} keeps: the configured Kafka and PostgreSQL, or else the embedded pipeline running on
 * {@code AIOPS_HOME}. Ends when the client closes stdin.
 */
@Command(name = "mcp", mixinStandardHelpOptions = true,
        description = "Serve the MCP tools over stdio (the HTTP transport is /mcp on aiops run and aiops assistant).")
public final class McpCommand implements Callable<Integer> {

    @Mixin
    private ConfigOption config;

    @Spec
    private CommandSpec spec;

    @Option(names = "--stdio", required = true, description = "Speak MCP on stdin/stdout.")
    private boolean stdio;

    @Option(names = "--key-env", defaultValue = "AIOPS_API_KEY", paramLabel = "NAME",
            description = "Environment variable holding the API key to act as (default: ${DEFAULT-VALUE}).")
    private String keyEnv;

    @Override
    public Integer call() throws Exception {
        final PrintStream protocol = System.out;
        // Only MCP messages may reach stdout; anything else a library prints goes to stderr.
        System.setOut(System.err);
        final String key = System.getenv(keyEnv);
        if (key == null || key.isBlank()) {
            spec.commandLine().getErr().println("aiops mcp: set " + keyEnv + " to an API key (aiops keys create)");
            return AiopsCommand.EXIT_CONFIG;
        }
        final AiopsConfig cfg = config.load();
        final KafkaSettings kafka;
        final HikariDataSource db;
        if (cfg.optional(CoreConfig.KAFKA_BOOTSTRAP_SERVERS).isPresent()) {
            kafka = KafkaSettings.from(cfg);
            db = Database.pool(cfg, "aiops-mcp");
        } else {
            final Optional<RunningPipeline.Endpoints> running = RunningPipeline.endpoints(Path.of(cfg.get(CoreConfig.HOME)));
            if (running.isEmpty()) {
                spec.commandLine().getErr().println("aiops mcp: no pipeline is running on " + cfg.get(CoreConfig.HOME)
                        + " (start aiops run) and AIOPS_KAFKA_BOOTSTRAP_SERVERS is not set");
                return AiopsCommand.EXIT_CONFIG;
            }
            kafka = running.get().kafka();
            db = EmbeddedRuntime.dataSource(running.get().postgresUrl());
        }
        try (db) {
            final Principal principal;
            try {
                principal = new Authenticator(new ApiKeyStore(db), TokenService.withSecret(null, Clock.systemUTC()),
                        Clock.systemUTC()).authenticate("Bearer " + key, null);
            } catch (final ApiError e) {
                spec.commandLine().getErr().println("aiops mcp: the key in " + keyEnv + " is not accepted: "
                        + e.getMessage());
                return AiopsCommand.EXIT_CONFIG;
            }
            final CountDownLatch closed = new CountDownLatch(1);
            try (AssistantService assistant = AssistantService.start(kafka, db, AssistantSettings.from(cfg),
                    LlmSettings.from(cfg), new SimpleMeterRegistry(), aiops.app.runtime.BuildInfo.version(), false)) {
                final McpSyncServer server = assistant.stdio(principal, new EndSignallingInput(System.in, closed),
                        protocol);
                closed.await();
                server.closeGracefully();
            }
        }
        return 0;
    }

    /** stdin that counts down when the client closes it. */
    private static final class EndSignallingInput extends FilterInputStream {
        private final CountDownLatch closed;

        EndSignallingInput(final InputStream in, final CountDownLatch closed) {
            super(in);
            this.closed = closed;
        }

        @Override
        public int read() throws IOException {
            final int b = super.read();
            if (b < 0) {
                closed.countDown();
            }
            return b;
        }

        @Override
        public int read(final byte[] buf, final int off, final int len) throws IOException {
            final int n = super.read(buf, off, len);
            if (n < 0) {
                closed.countDown();
            }
            return n;
        }
    }
}
