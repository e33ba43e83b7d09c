package io.wellwatch.core;

/**
 * A trained next-step predictor over scaled sensor rows (see {@link MinMaxScaler}). It keeps a
 * recurrent state between calls, so one instance is stepped by one thread at a time.
 */
public interface Forecaster extends AutoCloseable {

    /** Number of sensors in a row. */
    int features();

    /** Forget the recurrent state, e.g. after a valve-state change or a run of invalid samples. */
    void reset();

    /**
     * Feed the newest scaled row and write the predicted next scaled row into {@code predictedNext}
     * (same length). Cheap: one network step, no whole-window recomputation.
     */
    void step(double[] scaledRow, double[] predictedNext);

    @Override
    default void close() {
    }
}
