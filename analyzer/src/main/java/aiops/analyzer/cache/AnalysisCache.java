package aiops.analyzer.cache;

import aiops.avro.CachedAnswer;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Reuses an LLM answer for the same prompt, model, sampling parameters and prompt version. The in-memory layer is a
 * Caffeine cache; the durable layer is the compacted {@code aiops.analyzer.cache} topic, written in the same
 * transaction as the analysis and read back into memory at start, so a restart keeps what was paid for.
 */
public final class AnalysisCache {

    private final Cache<String, CachedAnswer> entries;
    private final Duration ttl;
    private final Clock clock;
    private final Counter hits;
    private final Counter misses;

    public AnalysisCache(final Duration ttl, final long maxEntries, final Clock clock, final MeterRegistry metrics) {
        this.ttl = ttl;
        this.clock = clock;
        this.entries = Caffeine.newBuilder().maximumSize(maxEntries).expireAfter(new Expiry<String, CachedAnswer>() {
            @Override
            public long expireAfterCreate(final String key, final CachedAnswer value, final long currentTime) {
                return remaining(value).toNanos();
            }

            @Override
            public long expireAfterUpdate(final String key, final CachedAnswer value, final long currentTime,
                                          final long currentDuration) {
                return remaining(value).toNanos();
            }

            @Override
            public long expireAfterRead(final String key, final CachedAnswer value, final long currentTime,
                                        final long currentDuration) {
                return currentDuration;
            }
        }).build();
        this.hits = Counter.builder("aiops.analyzer.cache").tag("result", "hit").register(metrics);
        this.misses = Counter.builder("aiops.analyzer.cache").tag("result", "miss").register(metrics);
    }

    public static String key(final String prompt, final String model, final String parameters, final String promptVersion) {
        try {
            final MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (final String part : new String[] {promptVersion, model, parameters, prompt}) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Optional<CachedAnswer> get(final String key) {
        final CachedAnswer hit = entries.getIfPresent(key);
        (hit == null ? misses : hits).increment();
        return Optional.ofNullable(hit);
    }

    public void put(final CachedAnswer answer) {
        if (!remaining(answer).isZero()) {
            entries.put(answer.getCacheKey(), answer);
        }
    }

    public long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }

    private Duration remaining(final CachedAnswer answer) {
        final Duration left = Duration.between(clock.instant(), answer.getCreatedAt().plus(ttl));
        return left.isNegative() ? Duration.ZERO : left;
    }
}
