package aiops.common.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Guards the password check of the token endpoint, which needs no credential and costs a deliberately slow bcrypt
 * comparison: each client address may try {@link #ATTEMPTS_PER_ADDRESS} times a minute, each username may fail
 * {@link #FAILURES_PER_USER} times in {@link #FAILURE_WINDOW} (then it is refused even with the right password until
 * the window refills), and at most half the cores compare passwords at once, so a flood from many addresses slows
 * logins but cannot starve the receivers of CPU.
 */
public final class LoginThrottle {

    public static final int ATTEMPTS_PER_ADDRESS = 30;
    public static final int FAILURES_PER_USER = 5;
    public static final Duration FAILURE_WINDOW = Duration.ofMinutes(15);
    private static final Duration BUSY_WAIT = Duration.ofSeconds(2);

    /** Why an attempt was refused, and when to try again. */
    public record Refusal(String reason, int status, long retryAfterSeconds) {
    }

    private final TimeMeter time;
    private final Semaphore comparisons;
    private final Cache<String, Bucket> addresses = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(5)).maximumSize(100_000).build();
    private final Cache<String, Bucket> users = Caffeine.newBuilder()
            .expireAfterAccess(FAILURE_WINDOW.plusMinutes(1)).maximumSize(100_000).build();

    public LoginThrottle() {
        this(TimeMeter.SYSTEM_MILLISECONDS, Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    }

    LoginThrottle(final TimeMeter time, final int concurrentComparisons) {
        this.time = time;
        this.comparisons = new Semaphore(concurrentComparisons, true);
    }

    /** Takes one attempt from {@code address}; empty when the attempt may go on to the password check. */
    public Optional<Refusal> admit(final String address, final String username) {
        final Bucket byAddress = addresses.get(address, k -> bucket(ATTEMPTS_PER_ADDRESS, Duration.ofMinutes(1)));
        final var probe = byAddress.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            return Optional.of(new Refusal("too many sign-in attempts from this address", 429,
                    seconds(probe.getNanosToWaitForRefill())));
        }
        final Bucket byUser = users.getIfPresent(username);
        if (byUser != null && byUser.getAvailableTokens() < 1) {
            return Optional.of(new Refusal("too many failed sign-ins for this user", 429,
                    seconds(byUser.estimateAbilityToConsume(1).getNanosToWaitForRefill())));
        }
        return Optional.empty();
    }

    /** Counts a wrong password (or unknown user) against {@code username}. */
    public void failed(final String username) {
        users.get(username, k -> bucket(FAILURES_PER_USER, FAILURE_WINDOW)).tryConsume(1);
    }

    /**
     * Runs the password comparison when a comparison slot frees up within a short wait; empty when every slot
     * stayed busy (the caller answers 503).
     */
    public <T> Optional<T> compare(final Supplier<T> comparison) {
        try {
            if (!comparisons.tryAcquire(BUSY_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        try {
            return Optional.of(comparison.get());
        } finally {
            comparisons.release();
        }
    }

    private Bucket bucket(final int capacity, final Duration period) {
        return Bucket.builder().withCustomTimePrecision(time)
                .addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(capacity, period).build()).build();
    }

    private static long seconds(final long nanos) {
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}
