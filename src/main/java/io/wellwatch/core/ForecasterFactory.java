package io.wellwatch.core;

import java.io.IOException;
import java.nio.file.Path;

/** Trains, saves and loads forecasters; the DL4J implementation lives in the model package. */
public interface ForecasterFactory {

    /**
     * Trains on scaled rows, oldest first (rows[i].length = features). Blocking and CPU-heavy: call it
     * on the training executor, never on the scoring path.
     */
    default TrainedForecaster train(double[][] scaledRows, TrainingSettings settings) {
        return train(ContiguousRuns.single(scaledRows), settings);
    }

    /**
     * Trains on scaled rows cut into contiguous runs: nothing the network learns spans a gap
     * between two runs. Blocking and CPU-heavy, as {@link #train(double[][], TrainingSettings)}.
     */
    TrainedForecaster train(ContiguousRuns scaledRuns, TrainingSettings settings);

    /** Writes the forecaster's weights to {@code file} (the caller makes the write atomic). */
    void save(Forecaster forecaster, Path file) throws IOException;

    /** Reads weights written by {@link #save}; throws IOException for a missing or damaged file. */
    Forecaster load(Path file) throws IOException;
}
