package io.wellwatch.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The backtest's progress line: one line redrawn on a terminal, nothing at all elsewhere. */
class ProgressBarTest {

    @Test
    void drawsOneLineRedrawnInPlaceAndEndsIt() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), true)) {
            bar.start(3000);
            bar.advance(1500);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).startsWith("\r").endsWith("\n").doesNotContain("\n\r");
        assertThat(out.chars().filter(c -> c == '\n').count()).isEqualTo(1);
        assertThat(out).contains("1,500/3,000 samples");
    }

    @Test
    void isSilentWhenNotATerminal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), false)) {
            bar.start(10);
            bar.advance(10);
        }
        assertThat(bytes.size()).isZero();
    }

    @Test
    void showsShareSamplesAndTimeLeft() {
        assertThat(ProgressBar.line(1500, 3000, 60))
                .isEqualTo("backtest [###############...............]  50%  1,500/3,000 samples  1:00 elapsed, ~1:00 left");
        assertThat(ProgressBar.line(3000, 3000, 3725)).isEqualTo(
                "backtest [##############################] 100%  3,000/3,000 samples  1:02:05 elapsed");
    }
}
