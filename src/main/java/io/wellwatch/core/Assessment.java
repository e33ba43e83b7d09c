package io.wellwatch.core;

import java.time.Instant;

/**
 * What the world learns about a well after each sample. {@code loss} and {@code tolerance} are NaN
 * when there is no score / no model; {@code lastTrainedTime} is null when never trained.
 * {@code judged} is false when the model did not judge this sample: it is Invalid, or the model is
 * warming up after a gap; risk, loss and top contributor are then the last judgement's, held.
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
        String topContributor,
        boolean judged) {

    /** A judged sample (for callers that build assessments of valid, scored samples). */
    public Assessment(String wellId, Instant sampleTime, DataState dataState, RiskLevel riskLevel, double loss,
                      double tolerance, int modelVersion, String valveState, int samplesBuffered, int windowSize,
                      Instant lastTrainedTime, String topContributor) {
        this(wellId, sampleTime, dataState, riskLevel, loss, tolerance, modelVersion, valveState, samplesBuffered,
                windowSize, lastTrainedTime, topContributor, dataState != DataState.INVALID);
    }

    public boolean hasModel() {
        return modelVersion > 0;
    }

    /**
     * The level this sample was judged at, for alarms and published values; null when it was not
     * judged, so that the last judgement stands: held values neither raise nor clear an alarm.
     */
    public RiskLevel judgedRisk() {
        return judged && dataState != DataState.INVALID ? riskLevel : null;
    }
}
