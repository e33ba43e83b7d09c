package io.wellwatch.cli;

import org.junit.jupiter.api.Test;

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
}
