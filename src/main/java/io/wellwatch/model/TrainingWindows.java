package io.wellwatch.model;

import io.wellwatch.core.ContiguousRuns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The training data of one run, as both trainers see it: the first differences of the scaled rows,
 * normalised per sensor, cut into overlapping sub-sequences, and the shuffled minibatches of every
 * epoch. Built once per training, so the DL4J and the plain-Java trainer (and the benchmark's
 * PyTorch reference) get exactly the same windows in the same order.
 *
 * <p>Sub-sequence starting at {@code s}, time step {@code k}: input = change into row {@code s+k}
 * (zero at the reset point {@code k = 0}), label = change from row {@code s+k} to row {@code s+k+1},
 * each divided by the sensor's {@link #scale()}.
 *
 * <p>Rows come in contiguous runs ({@link ContiguousRuns}); a change is only taken between two rows
 * of one run and a sub-sequence only within one run's changes, so nothing spans a gap. The changes
 * of all runs are stored one run after the other ({@link #differenceRuns()} says where each begins).
 * All sub-sequences have one length, {@code min(sequenceLength, changes of the longest run)}, as a
 * minibatch needs; a run with fewer changes contributes none (its changes still count in the scale).
 * With a single run this is exactly the cutting of one series.
 */
final class TrainingWindows {

    /** Raw differences diff[t] = row[t+1] - row[t], t = 0 .. rows-2. */
    private final double[][] diff;
    /** Per-sensor scale: mean absolute difference, floored. */
    private final double[] scale;
    /** Normalised differences z[t] = diff[t] / scale. */
    private final float[][] z;
    private final int length;
    private final int[] starts;
    /** Index into {@link #diff} of each run's first change. */
    private final int[] diffRuns;

    private TrainingWindows(double[][] diff, double[] scale, float[][] z, int length, int[] starts, int[] diffRuns) {
        this.diff = diff;
        this.scale = scale;
        this.z = z;
        this.length = length;
        this.starts = starts;
        this.diffRuns = diffRuns;
    }

    /** Cuts validated scaled rows (at least 2, all of one width), taken as one run, into windows of {@code plan}. */
    static TrainingWindows of(double[][] scaledRows, Dl4jForecasterFactory.Plan plan) {
        return of(ContiguousRuns.single(scaledRows), plan);
    }

    /**
     * Cuts validated scaled rows (all of one width, the longest run at least 2 rows) into windows of
     * {@code plan}, each within one run.
     */
    static TrainingWindows of(ContiguousRuns runs, Dl4jForecasterFactory.Plan plan) {
        double[][] rows = runs.rows();
        int f = rows[0].length;
        int steps = rows.length - runs.count();
        double[][] diff = new double[steps][f];
        int[] diffRuns = new int[runs.count()];
        int t = 0;
        for (int r = 0; r < runs.count(); r++) {
            diffRuns[r] = t;
            for (int row = runs.start(r); row + 1 < runs.end(r); row++, t++) {
                for (int i = 0; i < f; i++) {
                    diff[t][i] = rows[row + 1][i] - rows[row][i];
                }
            }
        }
        double[] scale = new double[f];
        for (int i = 0; i < f; i++) {
            double sum = 0;
            for (t = 0; t < steps; t++) {
                sum += Math.abs(diff[t][i]);
            }
            scale[i] = Math.max(sum / steps, plan.minDiffScale());
        }
        float[][] z = new float[steps][f];
        for (t = 0; t < steps; t++) {
            for (int i = 0; i < f; i++) {
                z[t][i] = (float) (diff[t][i] / scale[i]);
            }
        }
        int len = Math.min(plan.sequenceLength(), runs.longest() - 1);
        List<Integer> starts = new ArrayList<>();
        for (int r = 0; r < runs.count(); r++) {
            int first = diffRuns[r];
            int end = first + runs.length(r) - 1;
            if (end - first < len) {
                continue;
            }
            for (int s = first; s + len <= end; s += plan.stride()) {
                starts.add(s);
            }
            if (starts.get(starts.size() - 1) != end - len) {
                starts.add(end - len);
            }
        }
        return new TrainingWindows(diff, scale, z, len, starts.stream().mapToInt(Integer::intValue).toArray(), diffRuns);
    }

    int features() {
        return scale.length;
    }

    /** Time steps per sub-sequence. */
    int length() {
        return length;
    }

    /** Number of sub-sequences. */
    int count() {
        return starts.length;
    }

    /** Start row of each sub-sequence (a copy). */
    int[] starts() {
        return starts.clone();
    }

    /** Index into {@link #differences()} of each run's first change (a copy). */
    int[] differenceRuns() {
        return diffRuns.clone();
    }

    /** Raw differences (not normalised), run after run; read only. */
    double[][] differences() {
        return diff;
    }

    /** Per-sensor normalisation scale; read only. */
    double[] scale() {
        return scale;
    }

    /** Normalised input of the window starting at {@code start}, time step {@code k}, sensor {@code i}. */
    float input(int start, int k, int i) {
        return k == 0 ? 0f : z[start + k - 1][i];
    }

    /** Normalised label of the window starting at {@code start}, time step {@code k}, sensor {@code i}. */
    float label(int start, int k, int i) {
        return z[start + k][i];
    }

    /**
     * The minibatches of {@code epochs} epochs, in training order: each epoch shuffles the window
     * starts with one {@code Random(seed)} (Fisher-Yates) and cuts them into batches of {@code batchSize}
     * (the last one smaller). Each element is the array of window starts of one minibatch.
     */
    List<int[]> minibatches(int epochs, int batchSize, long seed) {
        Random rnd = new Random(seed);
        List<int[]> batches = new ArrayList<>();
        int[] order = new int[starts.length];
        for (int e = 0; e < epochs; e++) {
            System.arraycopy(starts, 0, order, 0, starts.length);
            shuffle(order, rnd);
            for (int b = 0; b < order.length; b += batchSize) {
                batches.add(Arrays.copyOfRange(order, b, Math.min(order.length, b + batchSize)));
            }
        }
        return batches;
    }

    /**
     * DL4J's layout of one minibatch, [windows, features, time steps] in C order: {@code [0]} the
     * inputs, {@code [1]} the labels.
     */
    float[][] dl4jArrays(int[] windowStarts) {
        int f = features();
        int size = windowStarts.length;
        float[] in = new float[size * f * length];
        float[] lab = new float[size * f * length];
        for (int m = 0; m < size; m++) {
            int s = windowStarts[m];
            for (int i = 0; i < f; i++) {
                int base = (m * f + i) * length;
                for (int k = 0; k < length; k++) {
                    in[base + k] = input(s, k, i);
                    lab[base + k] = label(s, k, i);
                }
            }
        }
        return new float[][] {in, lab};
    }

    private static void shuffle(int[] a, Random rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }
}
