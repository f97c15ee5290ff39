package aiops.ingest.normalize;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random (version 4) ids for signal records. They name records and must be unique, not secret, so each thread draws
 * from its own fast generator: {@link UUID#randomUUID()} queues every concurrent request on one lock, and a strong
 * generator per thread (a hash DRBG) cost more than normalising a single alert.
 */
public final class EventIds {

    private EventIds() {
    }

    public static String next() {
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        final long high = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        final long low = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
