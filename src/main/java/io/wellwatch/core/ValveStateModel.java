package io.wellwatch.core;

/**
 * Everything a well keeps for one valve-state combination: its training window, the model in
 * service, and the hand-over slot for a model trained in the background.
 */
final class ValveStateModel {

    final String key;
    final TrainingWindow window;
    ActiveModel active;
    /** Normal samples added since the last training was started. */
    int newSinceTraining;
    /** Highest version known for this key (in service, or on disk). */
    int lastVersion;
    volatile boolean training;
    /** Set by the training thread, taken by the scoring thread at its next sample. */
    volatile StoredModel trained;

    ValveStateModel(String key, int windowSize, int features) {
        this.key = key;
        this.window = new TrainingWindow(windowSize, features);
    }
}
