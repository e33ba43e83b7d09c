package io.wellwatch.core;

/** Where the upstream adapter delivers what it learns about a well. */
public interface SampleSink {

    void onSample(RawSample sample);

    /** The well's PLC connection was lost ({@code false}) or is back ({@code true}). */
    void onConnectionState(String wellId, boolean connected);
}
