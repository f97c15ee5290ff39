package aiops.ingest.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HexFormat;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** API keys in PostgreSQL, kept only as SHA-256 hashes. */
public final class ApiKeyStore {

    public static final String HISTORY_TABLE = "flyway_ingest_history";

    private final DataSource dataSource;

    public ApiKeyStore(final DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Creates or upgrades the ingest tables; the module keeps its own schema-history table. */
    public static int migrate(final DataSource dataSource) {
        return Flyway.configure().dataSource(dataSource).locations("classpath:db/ingest").table(HISTORY_TABLE)
                .baselineOnMigrate(true).baselineVersion("0").load().migrate().migrationsExecuted;
    }

    /**
     * Makes sure an admin key with exactly this value exists (for {@code AIOPS_BOOTSTRAP_ADMIN_KEY}).
     *
     * @return true when the key was created now, false when it existed
     */
    public boolean ensureAdminKey(final String key) throws SQLException {
        final String hash = sha256(key);
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("INSERT INTO api_keys (key_id, key_sha256, name, role) "
                     + "VALUES (?, ?, 'bootstrap-admin', 'admin') ON CONFLICT (key_sha256) DO NOTHING")) {
            st.setString(1, "k-" + hash.substring(0, 12));
            st.setString(2, hash);
            return st.executeUpdate() == 1;
        }
    }

    public static String sha256(final String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
