package io.wellwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import io.wellwatch.security.PasswordHash;
import org.junit.jupiter.api.Test;

/** {@code wellwatch hash-password} as a script uses it: the password on standard input. */
class HashPasswordCommandTest {

    @Test
    void printsAHashOfThePasswordAndNeverThePassword() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream("Tr0ub4dor&3 shift\n".getBytes(StandardCharsets.UTF_8)), null)
                .run(new String[]{"hash-password"});

        String printed = out.toString(StandardCharsets.UTF_8).strip();
        assertThat(code).isZero();
        assertThat(printed).doesNotContain("Tr0ub4dor").startsWith("$pbkdf2-sha256$i=" + PasswordHash.DEFAULT_ITERATIONS + "$");
        assertThat(PasswordHash.parse(printed).matches("Tr0ub4dor&3 shift")).isTrue();
    }

    @Test
    void aShortOrMissingPasswordPrintsNoHash() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Main main = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream("short\n".getBytes(StandardCharsets.UTF_8)), null);
        assertThat(main.run(new String[]{"hash-password"})).isEqualTo(2);
        Main blank = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream("          \n".getBytes(StandardCharsets.UTF_8)), null);
        assertThat(blank.run(new String[]{"hash-password"})).isEqualTo(2);
        Main empty = new Main(new PrintStream(out, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]), null);
        assertThat(empty.run(new String[]{"hash-password"})).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("$pbkdf2").doesNotContain("usage:");
    }

    @Test
    void aPasswordGivenAsAnArgumentIsRefusedWithoutBeingRepeated() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream savedErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new ByteArrayInputStream("correct horse battery\n".getBytes(StandardCharsets.UTF_8)), null)
                    .run(new String[]{"hash-password", "mypassword123"});
        } finally {
            System.setErr(savedErr);
        }
        assertThat(code).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("hash-password takes no arguments")
                .doesNotContain("mypassword123");
    }
}
