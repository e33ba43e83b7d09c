package io.wellwatch.core;

/**
 * Everything a well keeps for one valve-state combination: its training window and the model in
 * service (swapped under the detector's lock when a background training finishes).
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
    /** Normal samples still to be scored but not learned after the last Analyzing one. */
    int holdoff;
    /**
     * The next sample learned directly follows the window's newest one: no gap and no sample of this
     * valve state left out of the window in between. Scoring thread only.
     */
    boolean follows;

    ValveStateModel(String key, int windowSize, int features) {
        this.key = key;
        this.window = new TrainingWindow(windowSize, features);
    }
}
