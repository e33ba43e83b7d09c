package io.wellwatch.core;

/**
 * Debounce rule of a well's alarm, so that one noisy sample does not make the alarm flap.
 *
 * <p>The debounced level D starts at Normal. Each valid sample's RiskLevel L is compared with D:
 * <ul>
 *   <li>{@code raiseSamples} consecutive samples above D raise D to the lowest level among them
 *       (the level that held for all of them);</li>
 *   <li>{@code clearSamples} consecutive samples below D lower D to the highest level among them;</li>
 *   <li>a sample equal to D, or on the other side of D, ends the current run.</li>
 * </ul>
 * Invalid samples (no level) neither raise nor clear: they are skipped and do not end a run.
 * Assessments go through the {@link RiskPolicy#alarmLevel deadband} first: a sample counts as below
 * D only when its loss is clearly below D's band, not when it grazes the edge.
 * With the defaults (3 to rise, 5 to fall) and 3 s samples an alarm rises after 9 s of
 * anomaly and clears after 15 s of normal data. With 1 / 1 every sample's level is used as is.
 *
 * <p>Not thread-safe; one instance per well, fed in sample order.
 */
public final class AlarmDebouncer {

    public static final int DEFAULT_RAISE_SAMPLES = 3;
    public static final int DEFAULT_CLEAR_SAMPLES = 5;

    private final int raiseSamples;
    private final int clearSamples;
    /** Applies the deadband to assessments; null for none. */
    private final RiskPolicy policy;

    private RiskLevel level = RiskLevel.NORMAL;
    /** Length of the current run above (positive) or below (negative) the debounced level. */
    private int run;
    /** Lowest level of the run above, or highest of the run below. */
    private RiskLevel runBound;

    /** A debouncer without deadband, for levels only. */
    public AlarmDebouncer(int raiseSamples, int clearSamples) {
        this(raiseSamples, clearSamples, null);
    }

    /** A debouncer whose assessments go through {@code policy}'s deadband. */
    public AlarmDebouncer(int raiseSamples, int clearSamples, RiskPolicy policy) {
        if (raiseSamples < 1 || clearSamples < 1) {
            throw new IllegalArgumentException("raiseSamples and clearSamples must be >= 1, got "
                    + raiseSamples + " and " + clearSamples);
        }
        this.raiseSamples = raiseSamples;
        this.clearSamples = clearSamples;
        this.policy = policy;
    }

    /** The alarm rule of a detector's settings: its debounce counts and its risk bands' deadband. */
    public static AlarmDebouncer of(io.wellwatch.config.DetectorConfig d) {
        return new AlarmDebouncer(d.raiseSamples(), d.clearSamples(), new RiskPolicy(d.risk()));
    }

    /** The debounced level. */
    public RiskLevel level() {
        return level;
    }

    /**
     * Starts from a level saved before a restart instead of Normal; the next samples move it by
     * the usual rule (e.g. {@code clearSamples} Normal samples clear it).
     */
    public void restore(RiskLevel saved) {
        settle(java.util.Objects.requireNonNull(saved, "saved"));
    }

    /**
     * Takes one assessment: its judged level (none when not judged), seen through the deadband.
     *
     * @return true if the debounced level changed
     */
    public boolean offer(Assessment a) {
        RiskLevel judged = a.judgedRisk();
        if (judged == null || policy == null) {
            return offer(judged);
        }
        return offer(policy.alarmLevel(judged, a.loss(), a.tolerance(), level));
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
        int cmp = sample.compareTo(level);
        if (cmp == 0) {
            run = 0;
            runBound = null;
            return false;
        }
        if (cmp > 0) {
            if (run <= 0) {
                run = 0;
                runBound = sample;
            }
            run++;
            runBound = sample.compareTo(runBound) < 0 ? sample : runBound;
            if (run >= raiseSamples) {
                return settle(runBound);
            }
        } else {
            if (run >= 0) {
                run = 0;
                runBound = sample;
            }
            run--;
            runBound = sample.compareTo(runBound) > 0 ? sample : runBound;
            if (-run >= clearSamples) {
                return settle(runBound);
            }
        }
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
