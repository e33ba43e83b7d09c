package io.wellwatch.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * One monitored well.
 *
 * @param id               well id, also its BrowseName in the address space; required
 * @param endpoint         upstream PLC endpoint URL (opc.tcp://...); required
 * @param samplingPeriodMs how often a sample is assembled from the latest tag values, default 1000
 * @param staleAfterMs     a sensor whose source time lags the sample time by more than this makes
 *                         the sample Invalid, default 10000 (0 disables the check)
 * @param sensors          sensor tags, at least one
 * @param valves           valve-state tags (may be empty: one valve state for the well)
 * @param detector         detector settings (defaults when omitted)
 */
public record WellConfig(
        String id,
        String endpoint,
        long samplingPeriodMs,
        long staleAfterMs,
        List<SensorConfig> sensors,
        List<ValveConfig> valves,
        DetectorConfig detector) {

    @JsonCreator
    public static WellConfig of(
            @JsonProperty(value = "id", required = true) String id,
            @JsonProperty(value = "endpoint", required = true) String endpoint,
            @JsonProperty("samplingPeriodMs") Long samplingPeriodMs,
            @JsonProperty("staleAfterMs") Long staleAfterMs,
            @JsonProperty(value = "sensors", required = true) List<SensorConfig> sensors,
            @JsonProperty("valves") List<ValveConfig> valves,
            @JsonProperty("detector") DetectorConfig detector) {
        return new WellConfig(id, endpoint,
                samplingPeriodMs == null ? 1000 : samplingPeriodMs,
                staleAfterMs == null ? 10_000 : staleAfterMs,
                sensors == null ? List.of() : List.copyOf(sensors),
                valves == null ? List.of() : List.copyOf(valves),
                detector == null ? DetectorConfig.DEFAULT : detector);
    }

    public WellConfig withSamplingPeriodMs(long periodMs) {
        return new WellConfig(id, endpoint, periodMs, staleAfterMs, sensors, valves, detector);
    }

    public WellConfig withDetector(DetectorConfig d) {
        return new WellConfig(id, endpoint, samplingPeriodMs, staleAfterMs, sensors, valves, d);
    }

    public WellConfig withEndpoint(String url) {
        return new WellConfig(id, url, samplingPeriodMs, staleAfterMs, sensors, valves, detector);
    }

    public List<String> sensorNames() {
        return sensors.stream().map(SensorConfig::name).toList();
    }

    public List<String> valveNames() {
        return valves.stream().map(ValveConfig::name).toList();
    }
}
