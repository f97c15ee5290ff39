package aiops.common.http;

import aiops.common.auth.ApiKeyStore;
import aiops.common.auth.Authenticator;
import aiops.common.auth.HmacVerifier;
import aiops.common.auth.LoginThrottle;
import aiops.common.auth.RateLimiter;
import aiops.common.auth.TokenService;
import aiops.common.config.AiopsConfig;
import aiops.common.config.CoreConfig;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything the HTTP edge needs to decide who may do what, how often and how big. */
public record HttpSecurity(Authenticator authenticator, TokenService tokens, RateLimiter rateLimiter,
                           HmacVerifier hmac, ApiKeyStore keys, boolean metricsPublic, List<String> corsOrigins,
                           long maxBodyBytes, LoginThrottle logins) {

    public static HttpSecurity from(final AiopsConfig config, final ApiKeyStore keys, final Clock clock) {
        final TokenService tokens = TokenService.withSecret(config.optional(CoreConfig.JWT_SECRET).orElse(null), clock);
        return new HttpSecurity(new Authenticator(keys, tokens, clock), tokens,
                new RateLimiter(config.get(CoreConfig.RATE_LIMIT_PER_MINUTE)),
                new HmacVerifier(hmacSecrets(config.optional(CoreConfig.WEBHOOK_HMAC_SECRETS).orElse("")), clock),
                keys, config.get(CoreConfig.METRICS_PUBLIC),
                config.optional(CoreConfig.CORS_ORIGINS).map(s -> Arrays.stream(s.split(",")).map(String::trim)
                        .filter(o -> !o.isEmpty()).toList()).orElse(List.of()),
                config.get(CoreConfig.HTTP_MAX_BODY_BYTES), new LoginThrottle());
    }

    static Map<String, String> hmacSecrets(final String spec) {
        final Map<String, String> secrets = new LinkedHashMap<>();
        for (final String pair : spec.split(",")) {
            final int eq = pair.indexOf('=');
            if (eq > 0) {
                secrets.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        return secrets;
    }
}
