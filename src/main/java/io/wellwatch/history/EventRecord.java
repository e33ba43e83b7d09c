package io.wellwatch.history;

import java.time.Instant;

/**
 * One recorded event of a well. The model fields are null for events other than model retraining.
 *
 * @param eventType e.g. {@link #MODEL_RETRAINED}
 */
public record EventRecord(String wellId, Instant time, String eventType, int severity, String message,
                          Integer modelVersion, String valveState, Double tolerance, Double trainingLoss,
                          Integer sampleCount) {

    public static final String MODEL_RETRAINED = "ModelRetrained";
    /** A state change of the well's AnomalyAlarm (OffNormalAlarmType): raised, cleared, acknowledged, ... */
    public static final String ANOMALY_ALARM = "AnomalyAlarm";
}
