package io.wellwatch.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One upstream sensor tag.
 *
 * @param name    sensor name shown to operators (e.g. P-TPT); required
 * @param nodeId  upstream NodeId, e.g. {@code ns=2;s=P-TPT} or {@code nsu=urn:plc;s=P-TPT}; required
 * @param min     lowest plausible value; below it the sample is Invalid (default: no limit)
 * @param max     highest plausible value; above it the sample is Invalid (default: no limit)
 * @param span    meaningful span in engineering units: the smallest range the scaler divides by, so
 *                a sensor that barely moves in a window is not blown up by its own noise (default 0:
 *                the fitted range alone)
 */
public record SensorConfig(String name, String nodeId, double min, double max, double span) {

    @JsonCreator
    public SensorConfig(
            @JsonProperty(value = "name", required = true) String name,
            @JsonProperty(value = "nodeId", required = true) String nodeId,
            @JsonProperty("min") Double min,
            @JsonProperty("max") Double max,
            @JsonProperty("span") Double span) {
        this(name, nodeId,
                min == null ? Double.NEGATIVE_INFINITY : min,
                max == null ? Double.POSITIVE_INFINITY : max,
                span == null ? 0.0 : span);
    }
}
