package io.wellwatch.core;

/** Receives the detector's output; implemented by the OPC UA server adapter, the CLI status, tests, metrics. */
public interface DetectorListener {

    void onAssessment(Assessment assessment);

    default void onConnectionState(String wellId, boolean connected) {
    }

    default void onModelTrained(ModelTrained event) {
    }

    /**
     * One sample went through the detector (the hot path: implementations must not block or
     * allocate much). {@code problem} is why it was Invalid, null otherwise; {@code nanos} is the
     * time the detector spent on it.
     */
    default void onSampleProcessed(String wellId, DataState state, InputProblem problem, long nanos) {
    }

    /**
     * A bad upstream reading that did not make its sample Invalid by itself (out of order,
     * duplicate timestamp, burst, wrong type...) was dropped or coalesced.
     */
    default void onBadReading(String wellId, InputProblem problem) {
    }

    /** A training of {@code valveState} ended after {@code millis}. */
    default void onTrainingFinished(String wellId, String valveState, TrainingOutcome outcome, long millis) {
    }
}
