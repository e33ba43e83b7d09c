package io.wellwatch.core;

import java.util.Arrays;

/**
 * Min-max scaling per sensor, fitted on a training window: scaled = (x - min) / range.
 * The range is never smaller than the sensor's configured meaningful span, so a sensor that barely
 * moved during the window (T-TPT spanned 0.0023 °C in one real window) is not magnified into
 * scaled values of -25 by ordinary drift; the span is centred on the fitted midpoint. Values
 * outside the fitted range are scaled linearly, never clipped, so a fault stays visible.
 */
public record MinMaxScaler(double[] min, double[] range) {

    /** Smallest range ever used, guarding constant sensors whose span is configured as 0. */
    static final double MIN_RANGE = 1e-9;

    public MinMaxScaler {
        if (min.length != range.length) {
            throw new IllegalArgumentException("min and range differ in length");
        }
        min = min.clone();
        range = range.clone();
    }

    /** Fits on the rows (each of length spans.length), widening each range to at least its span. */
    public static MinMaxScaler fit(double[][] rows, double[] spans) {
        int n = spans.length;
        double[] lo = new double[n];
        double[] hi = new double[n];
        Arrays.fill(lo, Double.POSITIVE_INFINITY);
        Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        for (double[] row : rows) {
            for (int i = 0; i < n; i++) {
                lo[i] = Math.min(lo[i], row[i]);
                hi[i] = Math.max(hi[i], row[i]);
            }
        }
        double[] min = new double[n];
        double[] range = new double[n];
        for (int i = 0; i < n; i++) {
            double fitted = hi[i] - lo[i];
            double r = Math.max(Math.max(fitted, spans[i]), MIN_RANGE);
            range[i] = r;
            min[i] = (lo[i] + hi[i]) / 2 - r / 2;
        }
        return new MinMaxScaler(min, range);
    }

    public int features() {
        return min.length;
    }

    /** Scales {@code raw} into {@code out} without allocating. */
    public void scale(double[] raw, double[] out) {
        for (int i = 0; i < min.length; i++) {
            out[i] = (raw[i] - min[i]) / range[i];
        }
    }

    public double[][] scaleAll(double[][] rows) {
        double[][] out = new double[rows.length][min.length];
        for (int r = 0; r < rows.length; r++) {
            scale(rows[r], out[r]);
        }
        return out;
    }

    @Override
    public double[] min() {
        return min.clone();
    }

    @Override
    public double[] range() {
        return range.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MinMaxScaler s && Arrays.equals(min, s.min) && Arrays.equals(range, s.range);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(min) + Arrays.hashCode(range);
    }

    @Override
    public String toString() {
        return "MinMaxScaler[min=" + Arrays.toString(min) + ", range=" + Arrays.toString(range) + "]";
    }
}
