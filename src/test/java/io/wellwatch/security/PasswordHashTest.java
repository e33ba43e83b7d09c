package io.wellwatch.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordHashTest {

    @Test
    void aHashMatchesItsPasswordOnlyAndReadsBackFromItsTextForm() {
        PasswordHash hash = PasswordHash.create("correct horse".toCharArray(), PasswordHash.MIN_ITERATIONS);
        String text = hash.format();

        assertThat(text).startsWith("$pbkdf2-sha256$i=100000$").doesNotContain("correct horse");
        PasswordHash read = PasswordHash.parse(text);
        assertThat(read).isEqualTo(hash);
        assertThat(read.matches("correct horse")).isTrue();
        assertThat(read.matches("correct horse ")).isFalse();
        assertThat(read.matches("")).isFalse();
        assertThat(hash.toString()).doesNotContain(text.substring(text.lastIndexOf('$') + 1));
    }

    @Test
    void theSamePasswordGetsADifferentSaltEachTime() {
        String a = PasswordHash.create("same-password".toCharArray(), PasswordHash.MIN_ITERATIONS).format();
        String b = PasswordHash.create("same-password".toCharArray(), PasswordHash.MIN_ITERATIONS).format();
        assertThat(a).isNotEqualTo(b);
        assertThat(PasswordHash.parse(b).matches("same-password")).isTrue();
    }

    @Test
    void theDefaultIsSlowEnoughAndTheFormatCarriesItsIterations() {
        assertThat(PasswordHash.DEFAULT_ITERATIONS).isGreaterThanOrEqualTo(600_000);
        PasswordHash hash = PasswordHash.create("pw-with-many-rounds".toCharArray(), PasswordHash.DEFAULT_ITERATIONS);
        assertThat(hash.format()).startsWith("$pbkdf2-sha256$i=600000$");
        assertThat(PasswordHash.parse(hash.format()).matches("pw-with-many-rounds")).isTrue();
    }

    @Test
    void damagedOrForeignHashesAreRefusedWithAReason() {
        assertThatThrownBy(() -> PasswordHash.parse("secret")).hasMessageContaining("hash-password");
        assertThatThrownBy(() -> PasswordHash.parse("$2b$12$abcdefghijklmnopqrstuv")).hasMessageContaining("not a WellWatch password hash");
        assertThatThrownBy(() -> PasswordHash.parse("$pbkdf2-sha256$i=x$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA"))
                .hasMessageContaining("damaged");
        assertThatThrownBy(() -> PasswordHash.parse("$pbkdf2-sha256$i=100000$AAAA")).hasMessageContaining("form");
        assertThatThrownBy(() -> PasswordHash.parse("$pbkdf2-sha256$i=100000$AA$AA")).hasMessageContaining("too small");
    }
}
