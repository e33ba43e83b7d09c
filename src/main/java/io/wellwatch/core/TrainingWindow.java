package io.wellwatch.core;

import java.time.Instant;
import java.util.Arrays;

/**
 * FIFO window of the last {@code capacity} normal samples of one valve state: when full, a new
 * sample pushes out the oldest. Owned by the scoring thread; training works on a {@link #snapshot()}.
 *
 * <p>Each sample remembers whether it directly follows the previous one in the window, i.e. whether
 * scoring stepped from that one to this one without a reset and without a sample in between that the
 * window did not take. Otherwise it starts a new run, and training and the tolerance do not step
 * across the break ({@link ContiguousRuns}). The oldest sample held always starts a run, since its
 * predecessor is gone.
 */
public final class TrainingWindow {

    private final double[][] rows;
    private final Instant[] times;
    private final boolean[] startsRun;
    private int next;
    private int size;

    public TrainingWindow(int capacity, int features) {
        if (capacity < 1) {
            throw new IllegalArgumentException("window capacity must be at least 1");
        }
        this.rows = new double[capacity][features];
        this.times = new Instant[capacity];
        this.startsRun = new boolean[capacity];
    }

    /**
     * Copies {@code values} into the window; {@code follows} is false when continuity with the
     * previously added sample was broken (see the class comment).
     */
    public void add(double[] values, Instant time, boolean follows) {
        System.arraycopy(values, 0, rows[next], 0, values.length);
        times[next] = time;
        startsRun[next] = !follows;
        next = (next + 1) % rows.length;
        size = Math.min(size + 1, rows.length);
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return rows.length;
    }

    /** The held samples, oldest first, as independent copies, with their runs. */
    public Snapshot snapshot() {
        double[][] out = new double[size][];
        Instant[] outTimes = new Instant[size];
        int[] starts = new int[size];
        int runs = 0;
        int start = size < rows.length ? 0 : next;
        for (int i = 0; i < size; i++) {
            int idx = (start + i) % rows.length;
            out[i] = rows[idx].clone();
            outTimes[i] = times[idx];
            if (i == 0 || startsRun[idx]) {
                starts[runs++] = i;
            }
        }
        return new Snapshot(out, outTimes, Arrays.copyOf(starts, runs));
    }

    /** Rows oldest first with their source times and the first row of each contiguous run. */
    public record Snapshot(double[][] rows, Instant[] times, int[] runStarts) {

        public ContiguousRuns runs() {
            return new ContiguousRuns(rows, runStarts);
        }

        public Instant from() {
            return times.length == 0 ? null : times[0];
        }

        public Instant to() {
            return times.length == 0 ? null : times[times.length - 1];
        }
    }
}
