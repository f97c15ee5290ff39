package aiops.common.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** API keys and admin users in PostgreSQL. Keys are kept only as SHA-256 hashes and shown once, at creation. */
public final class ApiKeyStore {

    public static final String HISTORY_TABLE = "flyway_auth_history";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DataSource dataSource;

    public ApiKeyStore(final DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Creates or upgrades the auth tables; this module keeps its own schema-history table. */
    public static int migrate(final DataSource dataSource) {
        return Flyway.configure().dataSource(dataSource).locations("classpath:db/auth").table(HISTORY_TABLE)
                .baselineOnMigrate(true).baselineVersion("0").load().migrate().migrationsExecuted;
    }

    /** A stored key, without its secret. */
    public record StoredKey(String keyId, String keySha256, String name, Role role, Integer ratePerMinute,
                            Instant expiresAt, Instant revokedAt, Instant createdAt) {

        public boolean usableAt(final Instant now) {
            return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
        }
    }

    /** A newly created key: the secret is in {@code key} and nowhere else. */
    public record CreatedKey(String key, StoredKey stored) {
    }

    public CreatedKey create(final String name, final Role role, final Integer ratePerMinute, final Instant expiresAt)
            throws SQLException {
        final byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        final String key = "aiops_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return new CreatedKey(key, insert(key, name, role, ratePerMinute, expiresAt));
    }

    /**
     * Makes sure an admin key with exactly this value exists (for {@code AIOPS_BOOTSTRAP_ADMIN_KEY}).
     *
     * @return true when the key was created now, false when it existed
     */
    public boolean ensureAdminKey(final String key) throws SQLException {
        if (findByHash(sha256(key)).isPresent()) {
            return false;
        }
        insert(key, "bootstrap-admin", Role.ADMIN, null, null);
        return true;
    }

    private StoredKey insert(final String key, final String name, final Role role, final Integer ratePerMinute,
                             final Instant expiresAt) throws SQLException {
        final String hash = sha256(key);
        final String id = "k-" + hash.substring(0, 12);
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("INSERT INTO api_keys (key_id, key_sha256, name, role, "
                     + "rate_limit_per_minute, expires_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            st.setString(1, id);
            st.setString(2, hash);
            st.setString(3, name);
            st.setString(4, role.wireName());
            st.setObject(5, ratePerMinute);
            st.setTimestamp(6, expiresAt == null ? null : Timestamp.from(expiresAt));
            st.executeUpdate();
        }
        return findByHash(hash).orElseThrow();
    }

    public Optional<StoredKey> findByHash(final String sha256) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement(SELECT + " WHERE key_sha256 = ?")) {
            st.setString(1, sha256);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    public List<StoredKey> list() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement(SELECT + " ORDER BY created_at");
             ResultSet rs = st.executeQuery()) {
            final List<StoredKey> keys = new ArrayList<>();
            while (rs.next()) {
                keys.add(row(rs));
            }
            return keys;
        }
    }

    /** @return true when a key with this id existed and was not yet revoked */
    public boolean revoke(final String keyId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement(
                     "UPDATE api_keys SET revoked_at = now() WHERE key_id = ? AND revoked_at IS NULL")) {
            st.setString(1, keyId);
            return st.executeUpdate() == 1;
        }
    }

    /** Creates or replaces an admin user's password (bcrypt hash). */
    public void putAdminUser(final String username, final String passwordHash) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("INSERT INTO admin_users (username, password_hash) VALUES (?, ?) "
                     + "ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash, disabled_at = NULL")) {
            st.setString(1, username);
            st.setString(2, passwordHash);
            st.executeUpdate();
        }
    }

    /** The bcrypt hash of an enabled admin user. */
    public Optional<String> adminPasswordHash(final String username) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement(
                     "SELECT password_hash FROM admin_users WHERE username = ? AND disabled_at IS NULL")) {
            st.setString(1, username);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static final String SELECT = "SELECT key_id, key_sha256, name, role, rate_limit_per_minute, expires_at, "
            + "revoked_at, created_at FROM api_keys";

    private static StoredKey row(final ResultSet rs) throws SQLException {
        return new StoredKey(rs.getString(1), rs.getString(2), rs.getString(3), Role.parse(rs.getString(4)),
                (Integer) rs.getObject(5), instant(rs.getTimestamp(6)), instant(rs.getTimestamp(7)),
                instant(rs.getTimestamp(8)));
    }

    private static Instant instant(final Timestamp ts) {
        return ts == null ? null : ts.toInstant();
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
