package aiops.ingest.http;

import aiops.common.auth.ApiKeyStore;
import aiops.common.auth.Role;
import aiops.common.config.AiopsConfig;
import aiops.common.http.Metrics;
import aiops.common.http.Readiness;
import aiops.common.kafka.KafkaSettings;
import aiops.ingest.IngestServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** An ingest server on a free port against the given Kafka and PostgreSQL, with keys of every role. */
final class EdgeFixture implements AutoCloseable {

    final HikariDataSource db;
    final IngestServer server;
    final EdgeClient client;
    final ApiKeyStore keys;
    final String admin;
    final String user;
    final String readonly;

    EdgeFixture(final KafkaSettings kafka, final String jdbcUrl, final Map<String, String> env) throws SQLException {
        final HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(jdbcUrl);
        hikari.setMaximumPoolSize(4);
        db = new HikariDataSource(hikari);
        final Map<String, String> all = new HashMap<>(Map.of("AIOPS_HTTP_PORT", "0"));
        all.putAll(env);
        server = IngestServer.start(AiopsConfig.of(all, new Properties(), null), kafka, db, new Readiness(),
                Metrics.newRegistry("test"));
        client = new EdgeClient(server.port());
        keys = new ApiKeyStore(db);
        admin = keys.create("admin-" + Instant.now(), Role.ADMIN, null, null).key();
        user = keys.create("user-" + Instant.now(), Role.USER, null, null).key();
        readonly = keys.create("readonly-" + Instant.now(), Role.READONLY, null, null).key();
    }

    static String payload(final String name) {
        try (InputStream in = EdgeFixture.class.getResourceAsStream("/payloads/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        db.close();
    }
}
