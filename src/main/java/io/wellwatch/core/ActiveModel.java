package io.wellwatch.core;

/**
 * A model in service for one valve state: the stored version plus the buffers its scoring needs.
 * Only the scoring thread touches it.
 */
final class ActiveModel {

    final StoredModel stored;
    final double[] scaled;
    final double[] prediction;
    final LossTracker loss;
    /** Consecutive samples stepped since the last reset; scoring starts after the warm-up. */
    int stepped;
    /** The latest judgement, which stands while the model warms up after a reset. */
    double lastLoss = Double.NaN;
    RiskLevel lastRisk = RiskLevel.NORMAL;
    String lastTop = "";

    ActiveModel(StoredModel stored, int lossWindow) {
        this.stored = stored;
        int features = stored.scaler().features();
        this.scaled = new double[features];
        this.prediction = new double[features];
        this.loss = new LossTracker(lossWindow, features);
    }

    /**
     * Scores the prediction made at the previous step against {@code raw} (once past the warm-up
     * of {@code lookback} steps) and steps the forecaster to predict the next row.
     */
    void advance(double[] raw, int lookback) {
        stored.scaler().scale(raw, scaled);
        if (stepped > lookback) {
            loss.add(prediction, scaled);
        }
        stored.forecaster().step(scaled, prediction);
        stepped++;
    }

    void reset() {
        stored.forecaster().reset();
        loss.clear();
        stepped = 0;
    }

    int version() {
        return stored.info().version();
    }

    double tolerance() {
        return stored.info().tolerance();
    }
}
