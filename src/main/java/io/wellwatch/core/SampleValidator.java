package io.wellwatch.core;

import io.wellwatch.config.SensorConfig;
import io.wellwatch.config.WellConfig;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The single place that decides whether a raw sample is valid. A sample is Invalid when any sensor
 * or valve reading is missing, unusable (wrong type, time in the future), of bad or uncertain
 * quality, not finite, stale, outside its plausible range, frozen (a sensor's value unchanged for
 * longer than {@code frozenAfterMs}, when configured), or a valve state is not a whole number.
 * Invalid samples are counted, never scored or trained on: one bad sensor makes the whole row
 * unusable for a model that predicts all of them.
 *
 * <p>Not thread-safe: the frozen-value check remembers each sensor's last value; the detector
 * calls it under its lock.
 */
public final class SampleValidator {

    private final List<SensorConfig> sensors;
    private final List<String> valveNames;
    private final long staleAfterMs;
    private final long frozenAfterMs;
    /** Per sensor: the last value seen and the sample time since which it has not changed. */
    private final double[] lastValue;
    private final Instant[] unchangedSince;
    private InputProblem lastProblem;

    public SampleValidator(WellConfig well) {
        this.sensors = well.sensors();
        this.valveNames = well.valveNames();
        this.staleAfterMs = well.staleAfterMs();
        this.frozenAfterMs = well.frozenAfterMs();
        this.lastValue = new double[sensors.size()];
        Arrays.fill(lastValue, Double.NaN);
        this.unchangedSince = new Instant[sensors.size()];
    }

    /**
     * Checks the sample and, when valid, fills {@code values} and {@code valveStates}.
     *
     * @return null when valid, else a short reason naming the offending tag; its kind is then
     *         {@link #lastProblem()}
     */
    public String check(RawSample sample, double[] values, int[] valveStates) {
        lastProblem = null;
        TagReading[] readings = sample.sensors();
        if (readings.length != sensors.size() || sample.valves().length != valveNames.size()) {
            return fail(InputProblem.SHAPE, "sample has " + readings.length + " sensors and " + sample.valves().length
                    + " valves, configured " + sensors.size() + " and " + valveNames.size());
        }
        for (int i = 0; i < readings.length; i++) {
            SensorConfig sensor = sensors.get(i);
            String problem = readingProblem(readings[i], sample);
            if (problem != null) {
                return sensor.name() + " " + problem;
            }
            double v = readings[i].value();
            if (v < sensor.min() || v > sensor.max()) {
                return fail(InputProblem.OUT_OF_RANGE,
                        sensor.name() + " implausible (" + v + " outside [" + sensor.min() + ", " + sensor.max() + "])");
            }
            if (frozen(i, v, sample.time())) {
                return fail(InputProblem.FROZEN, sensor.name() + " frozen at " + v + " since " + unchangedSince[i]
                        + " (longer than frozenAfterMs " + frozenAfterMs + ")");
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
                return fail(InputProblem.NOT_WHOLE_NUMBER, valveNames.get(i) + " state is not a whole number (" + v + ")");
            }
            valveStates[i] = (int) v;
        }
        return null;
    }

    /** The kind of problem the last {@link #check} found, null when it passed. */
    public InputProblem lastProblem() {
        return lastProblem;
    }

    private String fail(InputProblem problem, String reason) {
        lastProblem = problem;
        return reason;
    }

    /** Tracks how long sensor {@code i} has kept {@code v}; true once longer than {@code frozenAfterMs}. */
    private boolean frozen(int i, double v, Instant time) {
        if (frozenAfterMs <= 0 || time == null) {
            return false;
        }
        if (v != lastValue[i] || unchangedSince[i] == null) {
            lastValue[i] = v;
            unchangedSince[i] = time;
            return false;
        }
        return Duration.between(unchangedSince[i], time).toMillis() > frozenAfterMs;
    }

    private String readingProblem(TagReading r, RawSample sample) {
        if (r == null) {
            return fail(InputProblem.MISSING, "missing");
        }
        if (r.problem() != null) {
            return fail(r.problem(), "unusable (" + r.problem().label() + ")");
        }
        if (r.quality() != Quality.GOOD) {
            return fail(r.quality() == Quality.BAD ? InputProblem.BAD_QUALITY : InputProblem.UNCERTAIN_QUALITY,
                    "quality " + r.quality());
        }
        if (!Double.isFinite(r.value())) {
            return fail(InputProblem.NOT_FINITE, "not finite (" + r.value() + ")");
        }
        if (staleAfterMs > 0 && r.sourceTime() != null && sample.time() != null
                && Duration.between(r.sourceTime(), sample.time()).toMillis() > staleAfterMs) {
            return fail(InputProblem.STALE, "stale (source time " + r.sourceTime() + ", sample time " + sample.time() + ")");
        }
        return null;
    }
}
