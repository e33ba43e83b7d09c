package io.wellwatch.core;

/** Network and optimiser settings of one training run. */
public record TrainingSettings(int lookback, int lstmUnits, int epochs, int batchSize, double learningRate, long seed) {
}
