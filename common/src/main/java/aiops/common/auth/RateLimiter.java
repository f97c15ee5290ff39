package aiops.common.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;

/** A token bucket per caller: {@code limit} requests per minute, refilled continuously. */
public final class RateLimiter {

    private final int defaultPerMinute;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10)).maximumSize(100_000).build();

    public RateLimiter(final int defaultPerMinute) {
        this.defaultPerMinute = defaultPerMinute;
    }

    /** The outcome of one request against the caller's bucket. */
    public record Decision(boolean allowed, long limit, long remaining, long retryAfterSeconds) {
    }

    public Decision tryAcquire(final Principal principal) {
        final int limit = principal.ratePerMinute() != null ? principal.ratePerMinute() : defaultPerMinute;
        final Bucket bucket = buckets.get(principal.id() + "/" + limit, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(limit).refillGreedy(limit, Duration.ofMinutes(1)).build())
                .build());
        final ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        final long wait = (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L;
        return new Decision(probe.isConsumed(), limit, probe.getRemainingTokens(), Math.max(1, wait));
    }
}
