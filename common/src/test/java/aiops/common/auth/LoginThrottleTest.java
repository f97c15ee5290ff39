package aiops.common.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final AtomicLong nanos = new AtomicLong();
    private final LoginThrottle throttle = new LoginThrottle(new TimeMeter() {
        @Override
        public long currentTimeNanos() {
            return nanos.get();
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    }, 1);

    private void advance(final Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void aUserShouldBeRefusedAfterItsFailuresUntilTheWindowRefillsAndOthersNot() {
        for (int i = 0; i < LoginThrottle.FAILURES_PER_USER; i++) {
            assertThat(throttle.admit("10.0.0." + i, "ops-lead")).isEmpty();
            throttle.failed("ops-lead");
        }

        final Optional<LoginThrottle.Refusal> refused = throttle.admit("10.0.0.99", "ops-lead");
        assertThat(refused).hasValueSatisfying(r -> {
            assertThat(r.status()).isEqualTo(429);
            assertThat(r.retryAfterSeconds()).isPositive()
                    .isLessThanOrEqualTo(LoginThrottle.FAILURE_WINDOW.toSeconds());
        });
        assertThat(throttle.admit("10.0.0.99", "someone-else")).isEmpty();

        advance(LoginThrottle.FAILURE_WINDOW);
        assertThat(throttle.admit("10.0.0.99", "ops-lead")).isEmpty();
    }

    @Test
    void successfulSignInsShouldNotCountAsFailures() {
        for (int i = 0; i < LoginThrottle.FAILURES_PER_USER * 2; i++) {
            assertThat(throttle.admit("10.0.0." + i, "ops-lead")).isEmpty();
        }
    }

    @Test
    void oneAddressShouldBeLimitedPerMinuteWhateverUsernamesItTries() {
        for (int i = 0; i < LoginThrottle.ATTEMPTS_PER_ADDRESS; i++) {
            assertThat(throttle.admit("203.0.113.7", "user-" + i)).isEmpty();
        }

        assertThat(throttle.admit("203.0.113.7", "user-x")).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(429));
        assertThat(throttle.admit("203.0.113.8", "user-x")).isEmpty();
        advance(Duration.ofMinutes(1));
        assertThat(throttle.admit("203.0.113.7", "user-x")).isEmpty();
    }

    @Test
    void comparisonsBeyondTheConcurrencyLimitShouldGiveUpInsteadOfQueueingForEver() throws Exception {
        final CountDownLatch inside = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            final Future<Optional<Boolean>> first = pool.submit(() -> throttle.compare(() -> {
                inside.countDown();
                try {
                    return release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
            assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();

            assertThat(throttle.compare(() -> true)).as("the only slot is taken").isEmpty();

            release.countDown();
            assertThat(first.get(5, TimeUnit.SECONDS)).contains(true);
            assertThat(throttle.compare(() -> true)).contains(true);
        } finally {
            pool.shutdownNow();
        }
    }
}
