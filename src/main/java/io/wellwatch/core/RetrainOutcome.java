package io.wellwatch.core;

/** Answer to an operator's request to train now. */
public record RetrainOutcome(boolean accepted, String message) {

    static RetrainOutcome accepted(String message) {
        return new RetrainOutcome(true, message);
    }

    static RetrainOutcome refused(String message) {
        return new RetrainOutcome(false, message);
    }
}
