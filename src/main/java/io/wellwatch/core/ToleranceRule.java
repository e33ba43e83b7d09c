package io.wellwatch.core;

import java.util.Arrays;

/**
 * How a model's tolerance is learned at training time. The trained forecaster is stepped through
 * its own (scaled) training rows exactly as scoring will step it, restarting at every gap, and the
 * rolling loss is recorded where scoring would judge: after a warm-up of {@code lookback} samples,
 * once the loss window is full. Tolerance = max(floor, margin × quantile(q) of those
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

    /** Steps {@code forecaster} through {@code scaledRows} as one run (no gap known). */
    public Fit fit(Forecaster forecaster, double[][] scaledRows) {
        return fit(forecaster, ContiguousRuns.single(scaledRows));
    }

    /**
     * Fewest rows of a run in which scoring judges at least one sample: the warm-up, then
     * {@code lossWindow} scored samples to fill the loss.
     */
    public int minRunLength() {
        return warmup + lossWindow + 1;
    }

    /**
     * Steps {@code forecaster} through each run of {@code scaled} as scoring steps it after a gap:
     * recurrent state and loss cleared at the run's start, {@code warmup} samples stepped unscored,
     * and a loss recorded only once the loss window is full (scoring judges no sooner). The
     * forecaster is left reset.
     *
     * @throws IllegalArgumentException when no run is at least {@link #minRunLength()} rows long
     */
    public Fit fit(Forecaster forecaster, ContiguousRuns scaled) {
        int features = forecaster.features();
        LossTracker tracker = new LossTracker(lossWindow, features);
        double[] prediction = new double[features];
        double[] losses = new double[scaled.rows().length];
        int count = 0;
        double errorSum = 0;
        int errorCount = 0;
        for (int r = 0; r < scaled.count(); r++) {
            forecaster.reset();
            tracker.clear();
            for (int t = scaled.start(r); t < scaled.end(r); t++) {
                double[] row = scaled.rows()[t];
                if (t - scaled.start(r) > warmup) {
                    tracker.add(prediction, row);
                    for (int i = 0; i < features; i++) {
                        errorSum += Math.abs(prediction[i] - row[i]);
                    }
                    errorCount += features;
                    if (tracker.isFull()) {
                        losses[count++] = tracker.loss();
                    }
                }
                forecaster.step(row, prediction);
            }
        }
        forecaster.reset();
        if (count == 0) {
            throw new IllegalArgumentException("no run of at least " + minRunLength() + " rows to learn a tolerance (longest "
                    + scaled.longest() + ")");
        }
        double[] sorted = Arrays.copyOf(losses, count);
        Arrays.sort(sorted);
        int idx = (int) Math.ceil(quantile * count) - 1;
        double q = sorted[Math.max(0, Math.min(count - 1, idx))];
        return new Fit(Math.max(floor, margin * q), errorSum / errorCount);
    }
}
