package io.wellwatch.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How WellWatch's client notices a PLC that went silent (the {@code upstream:} section; how the PLC
 * sessions are secured is {@code security.upstream}).
 *
 * <p>A PLC that stops cleanly closes its TCP connection and the loss is seen at once. A PLC that
 * vanishes silently (cable pulled, power cut, switch down) sends no FIN or RST: only the session
 * keep-alive notices. Every {@code keepAliveIntervalMs} the client reads the server's state, and
 * each read may take {@code keepAliveTimeoutMs}; after more than {@code keepAliveFailuresAllowed}
 * failed reads in a row the session is reported lost and the connection is closed and retried.
 * The reads do not wait for each other, so a silent loss is seen within about
 * {@code (keepAliveFailuresAllowed + 1) × keepAliveIntervalMs + keepAliveTimeoutMs}
 * ({@link #detectionBoundMs()}): 4 s with the defaults, against 15 s with Milo's own
 * (5000 ms, 5000 ms, 1).
 *
 * @param keepAliveIntervalMs      time between keep-alive reads, default 1000
 * @param keepAliveTimeoutMs       how long one keep-alive read may take, default 1000
 * @param keepAliveFailuresAllowed failed reads in a row that are still tolerated, default 2
 */
public record UpstreamConfig(long keepAliveIntervalMs, long keepAliveTimeoutMs, int keepAliveFailuresAllowed) {

    public static final UpstreamConfig DEFAULT = new UpstreamConfig(1000, 1000, 2);

    @JsonCreator
    public static UpstreamConfig of(
            @JsonProperty("keepAliveIntervalMs") Long keepAliveIntervalMs,
            @JsonProperty("keepAliveTimeoutMs") Long keepAliveTimeoutMs,
            @JsonProperty("keepAliveFailuresAllowed") Integer keepAliveFailuresAllowed) {
        return new UpstreamConfig(
                keepAliveIntervalMs == null ? DEFAULT.keepAliveIntervalMs : keepAliveIntervalMs,
                keepAliveTimeoutMs == null ? DEFAULT.keepAliveTimeoutMs : keepAliveTimeoutMs,
                keepAliveFailuresAllowed == null ? DEFAULT.keepAliveFailuresAllowed : keepAliveFailuresAllowed);
    }

    /**
     * The longest a silent PLC goes unnoticed: the first keep-alive after the loss is sent within
     * one interval, {@code keepAliveFailuresAllowed} more follow one interval apart, and the last
     * of them fails after the timeout.
     */
    public long detectionBoundMs() {
        return (keepAliveFailuresAllowed + 1L) * keepAliveIntervalMs + keepAliveTimeoutMs;
    }
}
