package io.wellwatch.core;

import java.util.Arrays;

/**
 * Rows oldest first, cut into runs of consecutive samples: within a run each row directly follows
 * the previous one as scoring saw it; between runs continuity was broken (a gap, see
 * {@link TrainingWindow}). Training and the tolerance step only within runs, never across a gap.
 * Arrays are shared, not copied: treat them as read only.
 *
 * @param rows   all rows, oldest first
 * @param starts index of each run's first row, ascending; starts[0] = 0 unless there are no rows
 */
public record ContiguousRuns(double[][] rows, int[] starts) {

    public ContiguousRuns {
        if (rows.length == 0 ? starts.length != 0 : starts.length == 0 || starts[0] != 0) {
            throw new IllegalArgumentException("the first run must start at row 0");
        }
        for (int r = 1; r < starts.length; r++) {
            if (starts[r] <= starts[r - 1] || starts[r] >= rows.length) {
                throw new IllegalArgumentException("run starts must ascend within the rows: " + Arrays.toString(starts));
            }
        }
    }

    /** All rows as one run (no gap known). */
    public static ContiguousRuns single(double[][] rows) {
        return new ContiguousRuns(rows, rows.length == 0 ? new int[0] : new int[] {0});
    }

    public int count() {
        return starts.length;
    }

    public int start(int run) {
        return starts[run];
    }

    /** One past the last row of {@code run}. */
    public int end(int run) {
        return run + 1 < starts.length ? starts[run + 1] : rows.length;
    }

    public int length(int run) {
        return end(run) - start(run);
    }

    public int longest() {
        int max = 0;
        for (int r = 0; r < count(); r++) {
            max = Math.max(max, length(r));
        }
        return max;
    }

    /** Only the runs of at least {@code minLength} rows, in order (the rows are copied references). */
    public ContiguousRuns atLeast(int minLength) {
        int total = 0;
        int kept = 0;
        for (int r = 0; r < count(); r++) {
            if (length(r) >= minLength) {
                total += length(r);
                kept++;
            }
        }
        if (kept == count()) {
            return this;
        }
        double[][] out = new double[total][];
        int[] outStarts = new int[kept];
        int row = 0;
        int k = 0;
        for (int r = 0; r < count(); r++) {
            if (length(r) >= minLength) {
                outStarts[k++] = row;
                System.arraycopy(rows, start(r), out, row, length(r));
                row += length(r);
            }
        }
        return new ContiguousRuns(out, outStarts);
    }

    /** The same runs over other rows of equal count, e.g. the scaled ones. */
    public ContiguousRuns withRows(double[][] other) {
        if (other.length != rows.length) {
            throw new IllegalArgumentException(other.length + " rows for runs over " + rows.length);
        }
        return new ContiguousRuns(other, starts);
    }
}
