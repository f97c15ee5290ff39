package aiops.common.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;

/** Short-lived HS256 JWTs for admin users, signed with a server secret of at least 256 bits. */
public final class TokenService {

    public static final String ISSUER = "aiops";
    private static final Duration LIFETIME = Duration.ofHours(1);

    private final byte[] secret;
    private final Clock clock;

    public TokenService(final byte[] secret, final Clock clock) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("JWT secret must have at least 32 bytes");
        }
        this.secret = secret.clone();
        this.clock = clock;
    }

    /** A service with the configured secret, or a random one (tokens then end with the process). */
    public static TokenService withSecret(final String configured, final Clock clock) {
        if (configured != null) {
            return new TokenService(configured.getBytes(StandardCharsets.UTF_8), clock);
        }
        final byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return new TokenService(random, clock);
    }

    /** A token for admin {@code username}, valid for one hour. */
    public String issue(final String username) {
        final Instant now = clock.instant();
        final JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).subject(username)
                .claim("role", Role.ADMIN.wireName()).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LIFETIME))).jwtID(UUID.randomUUID().toString()).build();
        final SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign token", e);
        }
        return jwt.serialize();
    }

    public Duration lifetime() {
        return LIFETIME;
    }

    /** The principal of a valid, unexpired token issued here; empty for anything else. */
    public Optional<Principal> verify(final String token) {
        try {
            final SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(new MACVerifier(secret))) {
                return Optional.empty();
            }
            final JWTClaimsSet claims = jwt.getJWTClaimsSet();
            final Date expires = claims.getExpirationTime();
            if (!ISSUER.equals(claims.getIssuer()) || expires == null || !clock.instant().isBefore(expires.toInstant())) {
                return Optional.empty();
            }
            final Role role = Role.parse(claims.getStringClaim("role"));
            return Optional.of(new Principal("user:" + claims.getSubject(), claims.getSubject(), role, null));
        } catch (ParseException | JOSEException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
