package io.wellwatch.core;

import io.wellwatch.config.SensorConfig;
import io.wellwatch.config.WellConfig;

import java.time.Duration;
import java.util.List;

/**
 * The single place that decides whether a raw sample is valid. A sample is Invalid when any sensor
 * or valve reading is missing, of bad or uncertain quality, not finite, stale, outside its plausible
 * range, or a valve state is not a whole number. Invalid samples are counted, never scored or
 * trained on: one bad sensor makes the whole row unusable for a model that predicts all of them.
 */
public final class SampleValidator {

    private final List<SensorConfig> sensors;
    private final List<String> valveNames;
    private final long staleAfterMs;

    public SampleValidator(WellConfig well) {
        this.sensors = well.sensors();
        this.valveNames = well.valveNames();
        this.staleAfterMs = well.staleAfterMs();
    }

    /**
     * Checks the sample and, when valid, fills {@code values} and {@code valveStates}.
     *
     * @return null when valid, else a short reason naming the offending tag
     */
    public String check(RawSample sample, double[] values, int[] valveStates) {
        TagReading[] readings = sample.sensors();
        if (readings.length != sensors.size() || sample.valves().length != valveNames.size()) {
            return "sample has " + readings.length + " sensors and " + sample.valves().length
                    + " valves, configured " + sensors.size() + " and " + valveNames.size();
        }
        for (int i = 0; i < readings.length; i++) {
            SensorConfig sensor = sensors.get(i);
            String problem = readingProblem(readings[i], sample);
            if (problem != null) {
                return sensor.name() + " " + problem;
            }
            double v = readings[i].value();
            if (v < sensor.min() || v > sensor.max()) {
                return sensor.name() + " implausible (" + v + " outside [" + sensor.min() + ", " + sensor.max() + "])";
            }
            values[i] = v;
        }
        TagReading[] valves = sample.valves();
        for (int i = 0; i < valves.length; i++) {
            String problem = readingProblem(valves[i], sample);
            if (problem != null) {
                return valveNames.get(i) + " " + problem;
            }
            double v = valves[i].value();
            if (v != Math.rint(v)) {
                return valveNames.get(i) + " state is not a whole number (" + v + ")";
            }
            valveStates[i] = (int) v;
        }
        return null;
    }

    private String readingProblem(TagReading r, RawSample sample) {
        if (r == null) {
            return "missing";
        }
        if (r.quality() != Quality.GOOD) {
            return "quality " + r.quality();
        }
        if (!Double.isFinite(r.value())) {
            return "not finite (" + r.value() + ")";
        }
        if (staleAfterMs > 0 && r.sourceTime() != null && sample.time() != null
                && Duration.between(r.sourceTime(), sample.time()).toMillis() > staleAfterMs) {
            return "stale (source time " + r.sourceTime() + ", sample time " + sample.time() + ")";
        }
        return null;
    }
}
