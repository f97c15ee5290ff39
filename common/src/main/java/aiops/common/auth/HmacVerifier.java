package aiops.common.auth;

import aiops.common.http.ApiError;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Optional per-source request signing: {@code X-Aiops-Timestamp: <unix seconds>} and
 * {@code X-Aiops-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>}. A source with a secret must
 * sign; timestamps more than five minutes off are stale; a signature seen before is a replay.
 */
public final class HmacVerifier {

    public static final String TIMESTAMP_HEADER = "X-Aiops-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Aiops-Signature";
    static final Duration WINDOW = Duration.ofMinutes(5);

    private final Map<String, String> secrets;
    private final Clock clock;
    private final Cache<String, Boolean> seen = Caffeine.newBuilder()
            .expireAfterWrite(WINDOW.multipliedBy(2)).maximumSize(1_000_000).build();

    public HmacVerifier(final Map<String, String> secretsBySource, final Clock clock) {
        this.secrets = Map.copyOf(secretsBySource);
        this.clock = clock;
    }

    public boolean requiresSignature(final String source) {
        return secrets.containsKey(source);
    }

    /**
     * @throws ApiError 401 when the source requires a signature and the request's is missing, stale, wrong or replayed
     */
    public void verify(final String source, final byte[] body, final String timestamp, final String signature) {
        final String secret = secrets.get(source);
        if (secret == null) {
            return;
        }
        if (timestamp == null || signature == null) {
            throw ApiError.unauthorized("this source must sign requests (" + TIMESTAMP_HEADER + ", " + SIGNATURE_HEADER + ")");
        }
        final long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw ApiError.unauthorized(TIMESTAMP_HEADER + " must be unix seconds");
        }
        if (Math.abs(clock.instant().getEpochSecond() - seconds) > WINDOW.toSeconds()) {
            throw ApiError.unauthorized("signature timestamp is stale");
        }
        final String expected = "sha256=" + sign(secret, timestamp.trim(), body);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                signature.trim().getBytes(StandardCharsets.US_ASCII))) {
            throw ApiError.unauthorized("signature does not match");
        }
        if (seen.asMap().putIfAbsent(expected, Boolean.TRUE) != null) {
            throw ApiError.unauthorized("signature already used (replay)");
        }
    }

    /** Hex HMAC-SHA256 of {@code timestamp + "." + body}. */
    public static String sign(final String secret, final String timestamp, final byte[] body) {
        try {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
    }
}
