package aiops.common.auth;

import aiops.common.http.ApiError;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the caller of a request. Accepted: {@code Authorization: Bearer <key or token>}, {@code X-API-Key: <key>},
 * or HTTP basic auth whose password is the key (what Alertmanager and Grafana can send natively). Keys are looked
 * up by their SHA-256 hash, briefly cached; revoked and expired keys are refused.
 */
public final class Authenticator {

    private static final Duration CACHE_TTL = Duration.ofSeconds(5);

    private final ApiKeyStore store;
    private final TokenService tokens;
    private final Clock clock;
    private final Cache<String, Optional<ApiKeyStore.StoredKey>> byHash = Caffeine.newBuilder()
            .expireAfterWrite(CACHE_TTL).maximumSize(10_000).build();

    public Authenticator(final ApiKeyStore store, final TokenService tokens, final Clock clock) {
        this.store = store;
        this.tokens = tokens;
        this.clock = clock;
    }

    /**
     * @throws ApiError 401 when no credential is given or it is not valid
     */
    public Principal authenticate(final String authorization, final String apiKeyHeader) {
        final String credential = credential(authorization, apiKeyHeader);
        if (credential == null) {
            throw ApiError.unauthorized("an API key is required (Authorization: Bearer, X-API-Key or basic auth)");
        }
        if (looksLikeJwt(credential)) {
            return tokens.verify(credential).orElseThrow(() -> ApiError.unauthorized("invalid or expired token"));
        }
        final String hash = ApiKeyStore.sha256(credential);
        final ApiKeyStore.StoredKey key = byHash.get(hash, this::load)
                .filter(k -> MessageDigest.isEqual(k.keySha256().getBytes(StandardCharsets.US_ASCII),
                        hash.getBytes(StandardCharsets.US_ASCII)))
                .orElseThrow(() -> ApiError.unauthorized("invalid API key"));
        if (!key.usableAt(clock.instant())) {
            throw ApiError.unauthorized("API key revoked or expired");
        }
        return new Principal(key.keyId(), key.name(), key.role(), key.ratePerMinute());
    }

    /** Drops cached keys, so a revocation takes effect at once in this process. */
    public void forgetCachedKeys() {
        byHash.invalidateAll();
    }

    private Optional<ApiKeyStore.StoredKey> load(final String hash) {
        try {
            return store.findByHash(hash);
        } catch (SQLException e) {
            throw new ApiError(503, "auth_unavailable", "the key store is unavailable; retry later", null,
                    java.util.Map.of("Retry-After", "5"));
        }
    }

    static String credential(final String authorization, final String apiKeyHeader) {
        if (apiKeyHeader != null && !apiKeyHeader.isBlank()) {
            return apiKeyHeader.trim();
        }
        if (authorization == null) {
            return null;
        }
        final String value = authorization.trim();
        final int space = value.indexOf(' ');
        if (space < 0) {
            return null;
        }
        final String scheme = value.substring(0, space).toLowerCase(Locale.ROOT);
        final String rest = value.substring(space + 1).trim();
        if ("bearer".equals(scheme)) {
            return rest.isEmpty() ? null : rest;
        }
        if ("basic".equals(scheme)) {
            try {
                final String decoded = new String(Base64.getDecoder().decode(rest), StandardCharsets.UTF_8);
                final int colon = decoded.indexOf(':');
                final String password = colon < 0 ? "" : decoded.substring(colon + 1);
                return password.isEmpty() ? null : password;
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    private static boolean looksLikeJwt(final String credential) {
        return credential.startsWith("eyJ") && credential.chars().filter(c -> c == '.').count() == 2;
    }
}
