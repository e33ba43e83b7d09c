package io.wellwatch.core;

/** A model version as kept in the model store: provenance, scaler and forecaster. */
public record StoredModel(ModelInfo info, MinMaxScaler scaler, Forecaster forecaster) {
}
