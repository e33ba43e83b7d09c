package io.wellwatch.core;

import java.util.Arrays;

/**
 * How a model's tolerance is learned at training time. The trained forecaster is stepped through
 * its own (scaled) training rows exactly as scoring will step it, and the rolling loss is recorded
 * after a warm-up of {@code lookback} samples. Tolerance = max(floor, margin × quantile(q) of those
 * losses). Why not the largest training error (the method as handed down)? The maximum of an
 * in-sample error is one unlucky sample, and in-sample errors understate what new, equally normal
 * data produces; a high quantile with a margin is a stable statistic with head-room for that gap,
 * and the floor keeps a near-perfect fit on a quiet window from alarming on sensor noise.
 */
public record ToleranceRule(double quantile, double margin, double floor, int lossWindow, int warmup) {

    public ToleranceRule {
        if (!(quantile > 0 && quantile <= 1)) {
            throw new IllegalArgumentException("toleranceQuantile must be in (0, 1], got " + quantile);
        }
        if (!(margin >= 1)) {
            throw new IllegalArgumentException("toleranceMargin must be >= 1, got " + margin);
        }
        if (!(floor > 0)) {
            throw new IllegalArgumentException("toleranceFloor must be > 0, got " + floor);
        }
    }

    /** Result of stepping a model over its training data. */
    public record Fit(double tolerance, double meanLoss) {
    }

    /** Steps {@code forecaster} (reset first and after) through {@code scaledRows}. */
    public Fit fit(Forecaster forecaster, double[][] scaledRows) {
        int n = scaledRows.length;
        int features = forecaster.features();
        LossTracker tracker = new LossTracker(lossWindow, features);
        double[] prediction = new double[features];
        double[] losses = new double[Math.max(0, n)];
        int count = 0;
        double errorSum = 0;
        int errorCount = 0;
        forecaster.reset();
        for (int t = 0; t < n; t++) {
            if (t > warmup) {
                tracker.add(prediction, scaledRows[t]);
                for (int i = 0; i < features; i++) {
                    errorSum += Math.abs(prediction[i] - scaledRows[t][i]);
                }
                errorCount += features;
                losses[count++] = tracker.loss();
            }
            forecaster.step(scaledRows[t], prediction);
        }
        forecaster.reset();
        if (count == 0) {
            throw new IllegalArgumentException("too few rows (" + n + ") to learn a tolerance");
        }
        double[] sorted = Arrays.copyOf(losses, count);
        Arrays.sort(sorted);
        int idx = (int) Math.ceil(quantile * count) - 1;
        double q = sorted[Math.max(0, Math.min(count - 1, idx))];
        return new Fit(Math.max(floor, margin * q), errorSum / errorCount);
    }
}
