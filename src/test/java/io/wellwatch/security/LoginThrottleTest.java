package io.wellwatch.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The lockout rule on a clock the test drives. */
class LoginThrottleTest {

    private final AtomicLong now = new AtomicLong();
    private final LoginThrottle throttle = new LoginThrottle(3, Duration.ofSeconds(1), Duration.ofSeconds(8), now::get, 100);

    @Test
    void locksAUserAfterConsecutiveFailuresForADoublingBoundedTime() {
        assertThat(throttle.recordFailure("eve", "10.0.0.1")).isZero();
        assertThat(throttle.recordFailure("eve", "10.0.0.2")).isZero();
        assertThat(throttle.lockedFor("eve", "10.0.0.3")).isEmpty();

        assertThat(throttle.recordFailure("eve", "10.0.0.3")).isEqualTo(Duration.ofSeconds(1));
        assertThat(throttle.lockedFor("eve", "10.0.0.9")).contains(Duration.ofSeconds(1));
        assertThat(throttle.lockedFor("alice", "10.0.0.9")).as("another user elsewhere").isEmpty();

        advance(Duration.ofSeconds(1));
        assertThat(throttle.lockedFor("eve", "10.0.0.9")).isEmpty();
        assertThat(throttle.recordFailure("eve", "10.0.0.4")).isEqualTo(Duration.ofSeconds(2));
        advance(Duration.ofSeconds(2));
        assertThat(throttle.recordFailure("eve", "10.0.0.5")).isEqualTo(Duration.ofSeconds(4));
        advance(Duration.ofSeconds(4));
        assertThat(throttle.recordFailure("eve", "10.0.0.6")).isEqualTo(Duration.ofSeconds(8));
        advance(Duration.ofSeconds(8));
        assertThat(throttle.recordFailure("eve", "10.0.0.7")).as("bounded").isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void locksAnAddressThatTriesManyNamesAndASuccessClearsTheCounts() {
        throttle.recordFailure("a", "10.0.0.1");
        throttle.recordFailure("b", "10.0.0.1");
        throttle.recordFailure("c", "10.0.0.1");
        assertThat(throttle.lockedFor("d", "10.0.0.1")).isPresent();
        assertThat(throttle.lockedFor("d", "10.0.0.2")).isEmpty();

        advance(Duration.ofSeconds(1));
        throttle.recordFailure("bob", "10.0.0.8");
        throttle.recordFailure("bob", "10.0.0.8");
        throttle.recordSuccess("bob", "10.0.0.8");
        assertThat(throttle.recordFailure("bob", "10.0.0.8")).as("count restarted").isZero();
    }

    @Test
    void tracksABoundedNumberOfKeys() {
        for (int i = 0; i < 1_000; i++) {
            throttle.recordFailure("user" + i, "10.1." + (i / 250) + "." + (i % 250));
        }
        assertThat(throttle.trackedKeys()).isLessThanOrEqualTo(100);
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }
}
