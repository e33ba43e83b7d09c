package io.wellwatch.cli;

import io.wellwatch.backtest.BacktestProgress;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The backtest's progress on one console line, redrawn in place (carriage return) at most five times
 * a second, with the share done, the samples and an estimate of the time left. Silent when the
 * stream is not a terminal, so logs and redirected output get no control characters.
 */
final class ProgressBar implements BacktestProgress, AutoCloseable {

    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintStream err;
    private final boolean enabled;
    private final AtomicLong done = new AtomicLong();
    private volatile long total;
    private volatile long nextDraw;
    private long startedNanos;
    private boolean drawn;

    ProgressBar(PrintStream err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    static ProgressBar onStderr() {
        return new ProgressBar(System.err, stderrIsTerminal());
    }

    /**
     * Java 17 cannot ask whether stderr alone is a terminal; on Linux its file descriptor tells,
     * elsewhere the console (stdin and stdout on a terminal) is the best guess.
     */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    @Override
    public synchronized void start(long totalSamples) {
        total = totalSamples;
        startedNanos = System.nanoTime();
        draw();
    }

    @Override
    public void advance(int samples) {
        done.addAndGet(samples);
        long now = System.nanoTime();
        if (enabled && now >= nextDraw) {
            synchronized (this) {
                if (now >= nextDraw) {
                    nextDraw = now + REDRAW_NANOS;
                    draw();
                }
            }
        }
    }

    /** Draws the final state and ends the line, so what follows starts on a line of its own. */
    @Override
    public synchronized void close() {
        if (enabled && drawn) {
            draw();
            err.print('\n');
            err.flush();
        }
    }

    private void draw() {
        if (!enabled) {
            return;
        }
        err.print('\r' + line(done.get(), total, (System.nanoTime() - startedNanos) / 1e9) + "\033[K");
        err.flush();
        drawn = true;
    }

    /** The text of the bar: {@code backtest [#####.....]  50%  1,500/3,000 samples  0:12 elapsed, ~0:12 left}. */
    static String line(long done, long total, double elapsedSeconds) {
        double share = total <= 0 ? 0 : Math.min(1, done / (double) total);
        int filled = (int) Math.round(share * WIDTH);
        // An estimate from the first samples (class loading, the first training) would be nonsense.
        String left = share < 0.02 || share >= 1 ? "" : ", ~" + clock(elapsedSeconds * (1 - share) / share) + " left";
        return String.format(Locale.ROOT, "backtest [%s%s] %3.0f%%  %,d/%,d samples  %s elapsed%s",
                "#".repeat(filled), ".".repeat(WIDTH - filled), share * 100, done, total, clock(elapsedSeconds), left);
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
