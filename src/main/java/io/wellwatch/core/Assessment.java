package io.wellwatch.core;

import java.time.Instant;

/**
 * What the world learns about a well after each sample. {@code loss} and {@code tolerance} are NaN
 * when there is no score / no model; {@code lastTrainedTime} is null when never trained.
 */
public record Assessment(
        String wellId,
        Instant sampleTime,
        DataState dataState,
        RiskLevel riskLevel,
        double loss,
        double tolerance,
        int modelVersion,
        String valveState,
        int samplesBuffered,
        int windowSize,
        Instant lastTrainedTime,
        String topContributor) {

    public boolean hasModel() {
        return modelVersion > 0;
    }
}
