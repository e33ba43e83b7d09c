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
 * @param frozenAfterMs    a sensor whose value has not changed for longer than this makes the
 *                         sample Invalid (a stuck transmitter), default 0 = off: some real sensors
 *                         are legitimately flat for hours
 * @param maxFutureMs      a reading whose source time is more than this ahead of our clock is
 *                         unusable, default 60000
 */
public record WellConfig(
        String id,
        String endpoint,
        long samplingPeriodMs,
        long staleAfterMs,
        List<SensorConfig> sensors,
        List<ValveConfig> valves,
        DetectorConfig detector,
        long frozenAfterMs,
        long maxFutureMs) {

    public static final long DEFAULT_MAX_FUTURE_MS = 60_000;

    /** Without the input checks: their defaults. */
    public static WellConfig of(String id, String endpoint, Long samplingPeriodMs, Long staleAfterMs,
                                List<SensorConfig> sensors, List<ValveConfig> valves, DetectorConfig detector) {
        return of(id, endpoint, samplingPeriodMs, staleAfterMs, sensors, valves, detector, null, null);
    }

    @JsonCreator
    public static WellConfig of(
            @JsonProperty(value = "id", required = true) String id,
            @JsonProperty(value = "endpoint", required = true) String endpoint,
            @JsonProperty("samplingPeriodMs") Long samplingPeriodMs,
            @JsonProperty("staleAfterMs") Long staleAfterMs,
            @JsonProperty(value = "sensors", required = true) List<SensorConfig> sensors,
            @JsonProperty("valves") List<ValveConfig> valves,
            @JsonProperty("detector") DetectorConfig detector,
            @JsonProperty("frozenAfterMs") Long frozenAfterMs,
            @JsonProperty("maxFutureMs") Long maxFutureMs) {
        return new WellConfig(id, endpoint,
                samplingPeriodMs == null ? 1000 : samplingPeriodMs,
                staleAfterMs == null ? 10_000 : staleAfterMs,
                sensors == null ? List.of() : List.copyOf(sensors),
                valves == null ? List.of() : List.copyOf(valves),
                detector == null ? DetectorConfig.DEFAULT : detector,
                frozenAfterMs == null ? 0 : frozenAfterMs,
                maxFutureMs == null ? DEFAULT_MAX_FUTURE_MS : maxFutureMs);
    }

    public WellConfig withSamplingPeriodMs(long periodMs) {
        return new WellConfig(id, endpoint, periodMs, staleAfterMs, sensors, valves, detector, frozenAfterMs, maxFutureMs);
    }

    public WellConfig withDetector(DetectorConfig d) {
        return new WellConfig(id, endpoint, samplingPeriodMs, staleAfterMs, sensors, valves, d, frozenAfterMs, maxFutureMs);
    }

    public WellConfig withEndpoint(String url) {
        return new WellConfig(id, url, samplingPeriodMs, staleAfterMs, sensors, valves, detector, frozenAfterMs, maxFutureMs);
    }

    public WellConfig withInputChecks(long frozenMs, long futureMs) {
        return new WellConfig(id, endpoint, samplingPeriodMs, staleAfterMs, sensors, valves, detector, frozenMs, futureMs);
    }

    public List<String> sensorNames() {
        return sensors.stream().map(SensorConfig::name).toList();
    }

    public List<String> valveNames() {
        return valves.stream().map(ValveConfig::name).toList();
    }
}
