package io.wellwatch.core;

/** Receives the detector's output; implemented by the OPC UA server adapter, the CLI status, tests. */
public interface DetectorListener {

    void onAssessment(Assessment assessment);

    default void onConnectionState(String wellId, boolean connected) {
    }

    default void onModelTrained(ModelTrained event) {
    }
}
