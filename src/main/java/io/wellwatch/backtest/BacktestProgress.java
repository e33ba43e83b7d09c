package io.wellwatch.backtest;

/** Told how far a backtest is; called from the replaying threads, so implementations must be thread-safe. */
public interface BacktestProgress {

    BacktestProgress NONE = new BacktestProgress() {
        @Override
        public void start(long totalSamples) {
        }

        @Override
        public void advance(int samples) {
        }
    };

    /** Before the first sample: how many samples all files together will give. */
    void start(long totalSamples);

    /** After each sample of any file. */
    void advance(int samples);
}
