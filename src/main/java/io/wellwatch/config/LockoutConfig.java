package io.wellwatch.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How password guessing is slowed ({@code security.lockout}): after {@code afterFailures}
 * consecutive failures of one user name or from one address, logins for it are refused for
 * {@code firstSeconds}, doubling with every further failure up to {@code maxSeconds}.
 */
public record LockoutConfig(int afterFailures, long firstSeconds, long maxSeconds) {

    /** Five failures, then 1 s, doubling up to 5 minutes. */
    public static final LockoutConfig DEFAULT = new LockoutConfig(5, 1, 300);

    @JsonCreator
    public static LockoutConfig of(@JsonProperty("afterFailures") Integer afterFailures,
                                   @JsonProperty("firstSeconds") Long firstSeconds,
                                   @JsonProperty("maxSeconds") Long maxSeconds) {
        return new LockoutConfig(
                afterFailures == null ? DEFAULT.afterFailures : afterFailures,
                firstSeconds == null ? DEFAULT.firstSeconds : firstSeconds,
                maxSeconds == null ? DEFAULT.maxSeconds : maxSeconds);
    }
}
