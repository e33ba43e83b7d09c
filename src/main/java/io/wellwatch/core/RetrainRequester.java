package io.wellwatch.core;

/**
 * Port through which the OPC UA server asks for a training now (the Retrain method), without
 * knowing the detectors. The application implements it by delegating to the well's detector.
 */
@FunctionalInterface
public interface RetrainRequester {

    /** Refuses everything: for a server without detectors (tests, tools). */
    RetrainRequester NONE = wellId -> new RetrainOutcome(false, wellId + ": no detector is attached to this server");

    /** Asks the well's detector to train now on its buffered normal samples; never null. */
    RetrainOutcome requestRetrain(String wellId);
}
