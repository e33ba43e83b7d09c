package io.wellwatch.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Risk level from the ratio r = loss / tolerance: Normal when r &lt;= low, Low when r &lt;= medium,
 * Medium when r &lt;= high, High above. Defaults 1.0 / 1.5 / 2.5.
 */
public record RiskBands(double low, double medium, double high) {

    public static final RiskBands DEFAULT = new RiskBands(1.0, 1.5, 2.5);

    @JsonCreator
    public static RiskBands of(
            @JsonProperty("low") Double low,
            @JsonProperty("medium") Double medium,
            @JsonProperty("high") Double high) {
        return new RiskBands(
                low == null ? DEFAULT.low : low,
                medium == null ? DEFAULT.medium : medium,
                high == null ? DEFAULT.high : high);
    }
}
