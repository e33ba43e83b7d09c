package io.wellwatch.core;

import java.time.Instant;

/** Raised after every successful (re)training; the fields of ModelRetrainedEventType. */
public record ModelTrained(
        String wellId,
        String valveState,
        int modelVersion,
        double tolerance,
        double trainingLoss,
        int sampleCount,
        Instant trainedAt) {
}
