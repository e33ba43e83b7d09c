package io.wellwatch.model;

import io.wellwatch.core.ContiguousRuns;
import io.wellwatch.core.TrainingWindow;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The training window remembers where continuity broke, also once it has wrapped around, and the
 * training data cut from it takes no change across a break and no sub-sequence spanning one.
 */
class TrainingWindowsGapTest {

    private static final Instant T0 = Instant.parse("2017-02-01T02:00:00Z");
    /** Values whose runs start with these: a jump of 1000 marks a gap, a change of 1 a normal step. */
    private static final Set<Integer> BREAKS = Set.of(5, 9, 13, 14);

    private static TrainingWindow window(int capacity, int samples) {
        TrainingWindow w = new TrainingWindow(capacity, 1);
        double level = 0;
        for (int v = 1; v <= samples; v++) {
            level += BREAKS.contains(v) ? 1000 : 1;
            w.add(new double[] {level}, T0.plusSeconds(v), !BREAKS.contains(v));
        }
        return w;
    }

    @Test
    void runBoundariesSurviveTheWrapAround() {
        // 15 samples into 10 slots: 6..15 held; 5 started a run but is gone, so 6 starts one.
        TrainingWindow.Snapshot s = window(10, 15).snapshot();
        assertThat(s.runStarts()).containsExactly(0, 3, 7, 8); // samples 6, 9, 13, 14
        // one more: 7..16 held, the oldest again starts a run
        TrainingWindow w = window(10, 15);
        w.add(new double[] {1e9}, T0, true);
        assertThat(w.snapshot().runStarts()).containsExactly(0, 2, 6, 7);
        // before the wrap-around: every break is kept, and row 0 starts the first run
        assertThat(window(20, 15).snapshot().runStarts()).containsExactly(0, 4, 8, 12, 13);
    }

    @Test
    void noDifferenceAndNoSubSequenceSpansAGap() {
        ContiguousRuns runs = window(30, 24).snapshot().runs(); // runs of 4, 4, 4, 1 and 11 samples
        assertThat(runs.starts()).containsExactly(0, 4, 8, 12, 13);
        TrainingWindows w = TrainingWindows.of(runs, new Dl4jForecasterFactory.Plan(3, 1, 1e-3));

        assertThat(w.differences()).hasDimensions(24 - 5, 1);
        for (double[] d : w.differences()) {
            assertThat(d[0]).as("only changes within a run, never the jump across a gap").isEqualTo(1.0);
        }
        assertThat(w.differenceRuns()).containsExactly(0, 3, 6, 9, 9);
        assertThat(w.length()).isEqualTo(3);
        int[] diffRuns = w.differenceRuns();
        for (int start : w.starts()) {
            int end = start + w.length() - 1; // last label of the sub-sequence
            assertThat(runOf(diffRuns, start)).as("sub-sequence at " + start).isEqualTo(runOf(diffRuns, end));
            assertThat(end).isLessThan(w.differences().length);
        }
        // the runs of 4 samples have exactly 3 changes: one window each; the run of 11 has 10: 8 windows
        assertThat(w.starts()).containsExactly(0, 3, 6, 9, 10, 11, 12, 13, 14, 15, 16);
        // inputs restart at each window: the first input is the reset point, the rest are the run's changes
        for (int start : w.starts()) {
            assertThat(w.input(start, 0, 0)).isZero();
            assertThat(w.input(start, 1, 0)).isEqualTo(w.label(start, 0, 0));
        }
    }

    @Test
    void oneRunIsCutAsBefore() {
        double[][] rows = new double[50][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new double[] {Math.sin(i / 3.0)};
        }
        Dl4jForecasterFactory.Plan plan = new Dl4jForecasterFactory.Plan(20, 5, 1e-3);
        TrainingWindows w = TrainingWindows.of(rows, plan);
        assertThat(w.starts()).containsExactly(0, 5, 10, 15, 20, 25, 29);
        assertThat(w.differenceRuns()).containsExactly(0);
    }

    /** Index of the run whose changes hold position {@code t}. */
    private static int runOf(int[] diffRuns, int t) {
        int run = 0;
        for (int r = 0; r < diffRuns.length; r++) {
            if (diffRuns[r] <= t) {
                run = r;
            }
        }
        return run;
    }
}
