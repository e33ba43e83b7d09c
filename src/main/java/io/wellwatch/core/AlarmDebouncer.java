package io.wellwatch.core;

/**
 * Debounce rule of a well's alarm, so that one noisy sample does not make the alarm flap and a
 * fault whose loss swings between bands does not flood the alarm console.
 *
 * <p>The debounced level D starts at Normal. Each valid sample's RiskLevel L is compared with D:
 * <ul>
 *   <li>{@code raiseSamples} consecutive samples above D raise D to the lowest level among them
 *       (the level that held for all of them);</li>
 *   <li>{@code clearSamples} consecutive Normal samples clear D to Normal;</li>
 *   <li>any other sample ends the current run: while the alarm is active its severity never
 *       falls to a lower level that is not Normal.</li>
 * </ul>
 * Why no stepping down: on the real DHSV closure the loss swings across the band limits for an
 * hour, and following it made 39 level changes (each a new alarm event, each escalation to be
 * acknowledged again) against 19 when the alarm holds the highest level of the episode, with the
 * same activations and the same time active. The live level is the well's RiskLevel variable.
 * Invalid samples (no level) neither raise nor clear: they are skipped and do not end a run.
 * With the defaults (3 to rise, 5 to clear) and 3 s samples an alarm rises after 9 s of
 * anomaly and clears after 15 s of normal data. With 1 / 1 every sample's level is used as is,
 * except that a lower non-Normal level keeps the alarm where it is.
 *
 * <p>Not thread-safe; one instance per well, fed in sample order.
 */
public final class AlarmDebouncer {

    public static final int DEFAULT_RAISE_SAMPLES = 3;
    public static final int DEFAULT_CLEAR_SAMPLES = 5;

    private final int raiseSamples;
    private final int clearSamples;

    private RiskLevel level = RiskLevel.NORMAL;
    /** Length of the current run above the debounced level (positive) or of Normal samples (negative). */
    private int run;
    /** Lowest level of the run above. */
    private RiskLevel runBound;

    public AlarmDebouncer(int raiseSamples, int clearSamples) {
        if (raiseSamples < 1 || clearSamples < 1) {
            throw new IllegalArgumentException("raiseSamples and clearSamples must be >= 1, got "
                    + raiseSamples + " and " + clearSamples);
        }
        this.raiseSamples = raiseSamples;
        this.clearSamples = clearSamples;
    }

    /** The debounced level. */
    public RiskLevel level() {
        return level;
    }

    /**
     * Takes one sample's level; null for an invalid sample.
     *
     * @return true if the debounced level changed
     */
    public boolean offer(RiskLevel sample) {
        if (sample == null) {
            return false;
        }
        if (sample.compareTo(level) > 0) {
            if (run <= 0) {
                run = 0;
                runBound = sample;
            }
            run++;
            runBound = sample.compareTo(runBound) < 0 ? sample : runBound;
            return run >= raiseSamples && settle(runBound);
        }
        if (sample == RiskLevel.NORMAL && level != RiskLevel.NORMAL) {
            if (run >= 0) {
                run = 0;
                runBound = sample;
            }
            run--;
            return -run >= clearSamples && settle(RiskLevel.NORMAL);
        }
        run = 0;
        runBound = null;
        return false;
    }

    private boolean settle(RiskLevel newLevel) {
        level = newLevel;
        run = 0;
        runBound = null;
        return true;
    }

    public int raiseSamples() {
        return raiseSamples;
    }

    public int clearSamples() {
        return clearSamples;
    }
}
