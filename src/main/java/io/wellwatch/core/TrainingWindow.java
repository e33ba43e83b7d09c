package io.wellwatch.core;

import java.time.Instant;

/**
 * FIFO window of the last {@code capacity} normal samples of one valve state: when full, a new
 * sample pushes out the oldest. Owned by the scoring thread; training works on a {@link #snapshot()}.
 */
public final class TrainingWindow {

    private final double[][] rows;
    private final Instant[] times;
    private int next;
    private int size;

    public TrainingWindow(int capacity, int features) {
        if (capacity < 1) {
            throw new IllegalArgumentException("window capacity must be at least 1");
        }
        this.rows = new double[capacity][features];
        this.times = new Instant[capacity];
    }

    /** Copies {@code values} into the window. */
    public void add(double[] values, Instant time) {
        System.arraycopy(values, 0, rows[next], 0, values.length);
        times[next] = time;
        next = (next + 1) % rows.length;
        size = Math.min(size + 1, rows.length);
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return rows.length;
    }

    /** The held samples, oldest first, as independent copies. */
    public Snapshot snapshot() {
        double[][] out = new double[size][];
        Instant[] outTimes = new Instant[size];
        int start = size < rows.length ? 0 : next;
        for (int i = 0; i < size; i++) {
            int idx = (start + i) % rows.length;
            out[i] = rows[idx].clone();
            outTimes[i] = times[idx];
        }
        return new Snapshot(out, outTimes);
    }

    /** Rows oldest first with their source times. */
    public record Snapshot(double[][] rows, Instant[] times) {
        public Instant from() {
            return times.length == 0 ? null : times[0];
        }

        public Instant to() {
            return times.length == 0 ? null : times[times.length - 1];
        }
    }
}
