package io.wellwatch.core;

/** Where the upstream adapter delivers what it learns about a well. */
public interface SampleSink {

    void onSample(RawSample sample);

    /** The well's PLC connection was lost ({@code false}) or is back ({@code true}). */
    void onConnectionState(String wellId, boolean connected);

    /**
     * The adapter dropped or coalesced a bad reading of a well before it could reach a sample
     * (see {@link InputProblem}); {@code detail} names the tag and the value.
     */
    default void onBadReading(String wellId, InputProblem problem, String detail) {
    }
}
