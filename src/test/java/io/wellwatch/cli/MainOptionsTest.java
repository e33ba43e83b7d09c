package io.wellwatch.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MainOptionsTest {

    @Test
    void aMistypedOptionIsCalledUnknownNotMissingItsValue() {
        assertThatThrownBy(() -> Main.Options.parse(new String[] {"demo", "--bogus"}))
                .hasMessage("unknown option '--bogus'");
        assertThatThrownBy(() -> Main.Options.parse(new String[] {"serve", "--config", "a.yaml", "extra"}))
                .hasMessage("unexpected argument 'extra'");
        assertThatThrownBy(() -> Main.Options.parse(new String[] {"serve", "--config"}))
                .hasMessage("option --config needs a value");
        assertThat(Main.Options.parse(new String[] {"serve", "--config", "a.yaml", "--port", "47001"}).port).isEqualTo(47001);
    }

    @Test
    void helpAndVersionAnswerWithoutStartingAnything() {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        Main main = new Main(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(main.run(new String[] {"help"})).isZero();
        assertThat(buf.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("wellwatch demo").contains("wellwatch backtest");
        buf.reset();
        assertThat(main.run(new String[] {"--version"})).isZero();
        assertThat(buf.toString(java.nio.charset.StandardCharsets.UTF_8)).startsWith("WellWatch ");
    }

    @Test
    void aReportDirectoryThatCannotBeMadeIsRefusedBeforeTheReplay(@TempDir Path work) throws Exception {
        Path file = Files.writeString(work.resolve("taken"), "a file");
        assertThatThrownBy(() -> Main.reportDirectory(file.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--report " + file + ": exists and is not a directory");
        assertThatThrownBy(() -> Main.reportDirectory(file.resolve("out").toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--report " + file.resolve("out") + ": cannot create the directory: " + file);
        assertThat(Main.reportDirectory(work.resolve("a/b").toString())).isDirectory();
    }
}
