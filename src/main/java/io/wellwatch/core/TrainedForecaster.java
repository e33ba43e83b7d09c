package io.wellwatch.core;

/** A freshly trained forecaster and its final training loss (MAE, scaled units). */
public record TrainedForecaster(Forecaster forecaster, double trainingLoss) {
}
