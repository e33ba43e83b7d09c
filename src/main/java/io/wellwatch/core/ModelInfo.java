package io.wellwatch.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Provenance of one model version: enough to explain later why a model said what it said.
 *
 * @param wellId       the well
 * @param valveState   canonical valve-state key the model belongs to
 * @param version      1, 2, ... per well and valve state
 * @param trainedAt    wall-clock time the training finished
 * @param sampleCount  samples in the training window
 * @param trainingLoss final training MAE (scaled units)
 * @param tolerance    loss above which a sample is Analyzing (scaled units)
 * @param dataFrom     source time of the oldest training sample
 * @param dataTo       source time of the newest training sample
 * @param sensors      sensor names, in feature order
 * @param settings     training and tolerance settings used, plus library versions
 */
public record ModelInfo(
        String wellId,
        String valveState,
        int version,
        Instant trainedAt,
        int sampleCount,
        double trainingLoss,
        double tolerance,
        Instant dataFrom,
        Instant dataTo,
        List<String> sensors,
        Map<String, Object> settings) {
}
