package io.wellwatch.core;

/**
 * Rolling mean absolute error over the last {@code window} scored samples, in scaled units, with
 * per-sensor shares so the top contributor can be named. Allocation-free after construction.
 */
public final class LossTracker {

    private final double[][] errors;
    private final double[] sums;
    private int next;
    private int count;

    public LossTracker(int window, int features) {
        if (window < 1) {
            throw new IllegalArgumentException("loss window must be at least 1");
        }
        this.errors = new double[window][features];
        this.sums = new double[features];
    }

    /** Adds |predicted - actual| per sensor for one sample. */
    public void add(double[] predicted, double[] actual) {
        double[] slot = errors[next];
        for (int i = 0; i < sums.length; i++) {
            double e = Math.abs(predicted[i] - actual[i]);
            if (count == errors.length) {
                sums[i] -= slot[i];
            }
            slot[i] = e;
            sums[i] += e;
        }
        next = (next + 1) % errors.length;
        count = Math.min(count + 1, errors.length);
    }

    public boolean isEmpty() {
        return count == 0;
    }

    public boolean isFull() {
        return count == errors.length;
    }

    /** Mean over the held samples and all sensors; NaN when empty. */
    public double loss() {
        if (count == 0) {
            return Double.NaN;
        }
        double total = 0;
        for (double s : sums) {
            total += s;
        }
        return total / ((double) count * sums.length);
    }

    /** Index of the sensor with the largest share of the loss, or -1 when empty. */
    public int topContributor() {
        if (count == 0) {
            return -1;
        }
        int best = 0;
        for (int i = 1; i < sums.length; i++) {
            if (sums[i] > sums[best]) {
                best = i;
            }
        }
        return best;
    }

    public void clear() {
        java.util.Arrays.fill(sums, 0);
        next = 0;
        count = 0;
    }
}
