package io.wellwatch.core;

import java.util.Locale;

/** How a training ended; the metric label is {@link #label()}. */
public enum TrainingOutcome {
    /** Trained, saved and put in service. */
    IN_SERVICE,
    /** A scheduled retraining whose tolerance grew too much: not used. */
    REJECTED,
    /** An exception in training or tolerance fitting; the previous model serves on. */
    FAILED,
    /** Shutdown came first; nothing was put in service. */
    ABANDONED;

    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }
}
