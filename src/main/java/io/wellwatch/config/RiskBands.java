package io.wellwatch.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Risk level from the ratio r = loss / tolerance: Normal when r &lt;= low, Low when r &lt;= medium,
 * Medium when r &lt;= high, High above. Defaults 1.0 / 1.5 / 2.5.
 *
 * <p>{@code deadband} is the alarm's hysteresis (default 0.2): an AnomalyAlarm standing at a level
 * counts a sample as below that level only when r is under the level's lower edge by this fraction
 * (e.g. High, edge 2.5, falls only on r &lt; 2.0), so a loss that hovers on an edge does not make
 * the alarm's severity move back and forth. The published RiskLevel has no deadband.
 */
public record RiskBands(double low, double medium, double high, double deadband) {

    public static final double DEFAULT_DEADBAND = 0.2;
    public static final RiskBands DEFAULT = new RiskBands(1.0, 1.5, 2.5, DEFAULT_DEADBAND);

    @JsonCreator
    public static RiskBands of(
            @JsonProperty("low") Double low,
            @JsonProperty("medium") Double medium,
            @JsonProperty("high") Double high,
            @JsonProperty("deadband") Double deadband) {
        return new RiskBands(
                low == null ? DEFAULT.low : low,
                medium == null ? DEFAULT.medium : medium,
                high == null ? DEFAULT.high : high,
                deadband == null ? DEFAULT.deadband : deadband);
    }

    /** Bands without alarm hysteresis. */
    public static RiskBands withoutDeadband(double low, double medium, double high) {
        return new RiskBands(low, medium, high, 0);
    }
}
