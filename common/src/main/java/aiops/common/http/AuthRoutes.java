package aiops.common.http;

import aiops.common.auth.ApiKeyStore;
import aiops.common.auth.LoginThrottle;
import aiops.common.auth.Role;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Key and user administration ({@code /api/v1/keys}, {@code /api/v1/users}: admin only) and the token endpoint
 * ({@code POST /api/v1/auth/token}: username and password of an admin user, no key needed; throttled by
 * {@link LoginThrottle}).
 */
public final class AuthRoutes {

    public static final String TOKEN_PATH = "/api/v1/auth/token";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** bcrypt with cost 12: about 0.25 s per check here, slow enough to make guessing expensive. */
    private static final BCryptPasswordEncoder BCRYPT = new BCryptPasswordEncoder(12);
    /** A real bcrypt hash to compare against when the user does not exist, so timing does not reveal it. */
    private static final String DUMMY_HASH = BCRYPT.encode("no-such-user-placeholder");

    private final HttpSecurity security;

    public AuthRoutes(final HttpSecurity security) {
        this.security = security;
    }

    public void register(final RoutesConfig routes) {
        routes.get("/api/v1/keys", this::listKeys, Role.ADMIN);
        routes.post("/api/v1/keys", this::createKey, Role.ADMIN);
        routes.delete("/api/v1/keys/{id}", this::revokeKey, Role.ADMIN);
        routes.post("/api/v1/users", this::putUser, Role.ADMIN);
        routes.post(TOKEN_PATH, this::token);
    }

    private void listKeys(final Context ctx) throws SQLException {
        ctx.json(Map.of("keys", security.keys().list().stream().map(AuthRoutes::describe).toList()));
    }

    private void createKey(final Context ctx) throws SQLException {
        final JsonNode body = body(ctx);
        final String name = text(body, "name").orElseThrow(() -> ApiError.badRequest("invalid_field", "name is required", "name"));
        final Role role;
        try {
            role = Role.parse(text(body, "role").orElse("user"));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("invalid_field", e.getMessage(), "role");
        }
        final JsonNode rate = body.get("rate_limit_per_minute");
        if (rate != null && !rate.isNull() && (!rate.canConvertToInt() || rate.asInt() < 1)) {
            throw ApiError.badRequest("invalid_field", "must be a positive whole number", "rate_limit_per_minute");
        }
        final Instant expires;
        try {
            expires = text(body, "expires_at").map(Instant::parse).orElse(null);
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest("invalid_field", "must be an RFC 3339 instant", "expires_at");
        }
        final ApiKeyStore.CreatedKey created = security.keys().create(name, role,
                rate == null || rate.isNull() ? null : rate.asInt(), expires);
        final Map<String, Object> answer = describe(created.stored());
        answer.put("key", created.key());
        ctx.status(201).json(answer);
    }

    private void revokeKey(final Context ctx) throws SQLException {
        if (!security.keys().revoke(ctx.pathParam("id"))) {
            throw new ApiError(404, "not_found", "no active key " + ctx.pathParam("id"));
        }
        security.authenticator().forgetCachedKeys();
        ctx.status(204);
    }

    private void putUser(final Context ctx) throws SQLException {
        final JsonNode body = body(ctx);
        final String username = text(body, "username")
                .filter(u -> u.matches("[A-Za-z0-9._-]{1,64}"))
                .orElseThrow(() -> ApiError.badRequest("invalid_field", "1-64 letters, digits, . _ -", "username"));
        final String password = text(body, "password").filter(p -> p.length() >= 12 && p.length() <= 72)
                .orElseThrow(() -> ApiError.badRequest("invalid_field", "12 to 72 characters", "password"));
        security.keys().putAdminUser(username, BCRYPT.encode(password));
        ctx.status(201).json(Map.of("username", username, "role", Role.ADMIN.wireName()));
    }

    private void token(final Context ctx) throws SQLException {
        final JsonNode body = body(ctx);
        final String username = text(body, "username").orElse("");
        final String password = text(body, "password").orElse("");
        final LoginThrottle throttle = security.logins();
        throttle.admit(ctx.ip(), username).ifPresent(refusal -> {
            throw new ApiError(refusal.status(), "rate_limited", refusal.reason(), null,
                    Map.of("Retry-After", Long.toString(refusal.retryAfterSeconds())));
        });
        final Optional<String> hash = security.keys().adminPasswordHash(username);
        final boolean matches = throttle.compare(() -> BCRYPT.matches(password, hash.orElse(DUMMY_HASH)))
                .orElseThrow(() -> new ApiError(503, "busy", "too many sign-ins at once; try again shortly", null,
                        Map.of("Retry-After", "1")));
        if (hash.isEmpty() || !matches) {
            throttle.failed(username);
            throw ApiError.unauthorized("unknown user or wrong password");
        }
        ctx.json(Map.of("access_token", security.tokens().issue(username), "token_type", "Bearer",
                "expires_in", security.tokens().lifetime().toSeconds()));
    }

    private static Map<String, Object> describe(final ApiKeyStore.StoredKey key) {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", key.keyId());
        out.put("name", key.name());
        out.put("role", key.role().wireName());
        out.put("rate_limit_per_minute", key.ratePerMinute());
        out.put("expires_at", key.expiresAt());
        out.put("revoked_at", key.revokedAt());
        out.put("created_at", key.createdAt());
        return out;
    }

    private static JsonNode body(final Context ctx) {
        try {
            final JsonNode node = JSON.readTree(ctx.bodyAsBytes());
            if (node == null || !node.isObject()) {
                throw ApiError.badRequest("invalid_json", "the body must be a JSON object", "body");
            }
            return node;
        } catch (IOException e) {
            throw ApiError.badRequest("invalid_json", "the body is not valid JSON", "body");
        }
    }

    private static Optional<String> text(final JsonNode body, final String field) {
        final JsonNode node = body.get(field);
        return node == null || !node.isTextual() || node.asText().isBlank() ? Optional.empty() : Optional.of(node.asText());
    }

    static List<String> publicPaths() {
        return List.of(TOKEN_PATH);
    }
}
