package io.wellwatch.core;

/**
 * Counters and latest state of one well, for status lines and metrics.
 *
 * @param last               the latest assessment (null before the first sample)
 * @param normal             samples classified Normal
 * @param analyzing          samples classified Analyzing
 * @param invalid            samples classified Invalid
 * @param training           a training is running for the current valve state
 * @param lastInvalidReason  why the latest invalid sample was invalid ("" if none yet)
 * @param connected          the well's PLC connection is up
 * @param disconnectedSince  wall-clock time the connection went down (null while connected)
 * @param learned            samples that entered a training window
 * @param lastJudged         sample time of the latest sample a model judged (null if none yet)
 */
public record WellStatus(Assessment last, long normal, long analyzing, long invalid, boolean training,
                         String lastInvalidReason, boolean connected, java.time.Instant disconnectedSince,
                         long learned, java.time.Instant lastJudged, String trainingProblem) {
}
