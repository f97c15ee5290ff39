package aiops.embedded;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apicurio Registry 3.x server forked as a child process on loopback. It needs Java 21+, so it runs on a
 * JDK found by {@link JavaRuntimes}, not necessarily the one running aiops. Storage is an H2 database file under
 * {@code home/db}: records on a persisted topic carry schema ids, and a registry that forgot them at restart would
 * leave every earlier record undecodable (or, with ids handed out again in another order, decoded with the wrong schema).
 */
public final class EmbeddedRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRegistry.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final int MIN_JAVA = 21;

    private final Process process;
    private final int port;

    private EmbeddedRegistry(final Process process, final int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Unpacks (once) and starts the registry.
     *
     * @param home       working directory for the unpacked server, its temp files and its log
     * @param archive    the server's tar.gz
     * @param javaConfig configured Java 21+ executable or JDK home, or {@code null} to search
     */
    public static EmbeddedRegistry start(final Path home, final Path archive, final String javaConfig) {
        final Path java = JavaRuntimes.find(MIN_JAVA, javaConfig).orElseThrow(() -> new IllegalStateException(
                "the schema registry needs Java " + MIN_JAVA + "+ and none was found"
                        + (javaConfig == null ? " under /usr/lib/jvm or as this JVM" : " at " + javaConfig)
                        + "; install one or set AIOPS_REGISTRY_JAVA (or point AIOPS_REGISTRY_URL at a running registry)"));
        final Path serverDir = RegistryDistribution.install(archive, home.resolve("dist"));
        final int port = Ports.freePort();
        final int managementPort = Ports.freePort();
        try {
            final Path tmp = Files.createDirectories(home.resolve("tmp"));
            final Path log = home.resolve("registry.log");
            final List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-XX:+UseSerialGC",
                    "-Djava.io.tmpdir=" + tmp,
                    "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                    "-Dquarkus.management.host=127.0.0.1", "-Dquarkus.management.port=" + managementPort,
                    "-Dquarkus.http.access-log.enabled=false",
                    "-Dquarkus.log.level=WARN",
                    "-Dquarkus.log.category.\"io.apicurio\".level=WARN",
                    datasourceArgument(home),
                    "-jar", serverDir.resolve("quarkus-run.jar").toString()));
            final Process process = new ProcessBuilder(command).directory(serverDir.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
            final EmbeddedRegistry registry = new EmbeddedRegistry(process, port);
            Runtime.getRuntime().addShutdownHook(new Thread(registry::close, "registry-stop"));
            registry.awaitReady(log);
            LOG.info("Apicurio Registry {} ready at {} (java {})", RegistryDistribution.VERSION, registry.apiUrl(), java);
            return registry;
        } catch (IOException e) {
            throw new IllegalStateException("could not start the schema registry: " + e.getMessage(), e);
        }
    }

    /** The argument naming the server's H2 database; unique to {@code home}, so it also identifies the process. */
    private static String datasourceArgument(final Path home) {
        return "-Dapicurio.datasource.url=jdbc:h2:file:" + home.resolve("db").resolve("registry").toAbsolutePath()
                + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    /**
     * Stops a registry still running on {@code home}'s database for a process that is gone; only safe while holding
     * the home's {@link HomeLock}.
     */
    static int stopLeftover(final Path home) {
        final String argument = datasourceArgument(home);
        return LeftoverProcesses.stop("the schema registry on " + home, args -> args.contains(argument));
    }

    private void awaitReady(final Path log) {
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        final HttpRequest info = HttpRequest.newBuilder(URI.create(apiUrl() + "/system/info"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        final Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the schema registry exited with " + process.exitValue()
                        + " while starting; see " + log);
            }
            try {
                if (http.send(info, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted while the schema registry started", e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted while the schema registry started", e);
            }
        }
        close();
        throw new IllegalStateException("the schema registry was not ready within " + START_TIMEOUT.toSeconds()
                + " s; see " + log);
    }

    /** Base URL of the v3 REST API, the value for {@code apicurio.registry.url}. */
    public String apiUrl() {
        return "http://127.0.0.1:" + port + "/apis/registry/v3";
    }

    /** The server's process id. */
    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
