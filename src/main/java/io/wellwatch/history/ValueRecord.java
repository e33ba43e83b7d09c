package io.wellwatch.history;

import java.time.Instant;

/**
 * One recorded value of a well variable.
 *
 * @param variable   BrowseName of the variable (RiskLevel, Loss, Tolerance, ModelVersion)
 * @param sourceTime the sample's time
 * @param value      the value (RiskLevel as its ordinal), null when there was none (e.g. waiting for data)
 * @param status     OPC UA status code as published by the server
 */
public record ValueRecord(String wellId, String variable, Instant sourceTime, Double value, long status) {
}
