package aiops.ingest.normalize;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** Stable alert identity when a source gives none: a hash of its sorted identifying labels. */
public final class Fingerprints {

    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    });

    private Fingerprints() {
    }

    /** 16 hex digits of SHA-256 over {@code source} and the labels sorted by name; order-independent. */
    public static String of(final String source, final Map<String, String> labels) {
        final StringBuilder canonical = new StringBuilder(source).append('\u0000');
        new TreeMap<>(labels).forEach((k, v) -> canonical.append(k).append('\u0001').append(v).append('\u0000'));
        final byte[] digest = SHA_256.get().digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 8);
    }
}
