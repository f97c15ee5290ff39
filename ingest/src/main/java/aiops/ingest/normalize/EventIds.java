package aiops.ingest.normalize;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Random (version 4) ids for signal records. {@link UUID#randomUUID()} draws from one process-wide generator behind a
 * lock, which every concurrent webhook request would queue on; each thread here has its own strong generator.
 */
public final class EventIds {

    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(EventIds::generator);

    private EventIds() {
    }

    public static String next() {
        final SecureRandom random = RANDOM.get();
        final long high = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        final long low = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    private static SecureRandom generator() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (java.security.NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}
