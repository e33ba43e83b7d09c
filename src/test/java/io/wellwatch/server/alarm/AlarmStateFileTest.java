package io.wellwatch.server.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import io.wellwatch.core.RiskLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlarmStateFileTest {

    @Test
    void roundTripReplacesTheFileAndLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
        AlarmStateFile file = AlarmStateFile.in(dir.resolve("WELL-1"));
        assertThat(file.read()).as("missing file: fresh start").isEmpty();

        AlarmSnapshot first = new AlarmSnapshot(AlarmSnapshot.FORMAT, RiskLevel.HIGH, false, true, 900,
                0.31, 0.1, "P-TPT", "", "");
        file.write(first);
        assertThat(file.read()).contains(first);

        AlarmSnapshot second = new AlarmSnapshot(AlarmSnapshot.FORMAT, RiskLevel.NORMAL, true, false, 900,
                AlarmSnapshot.finiteOrNull(Double.NaN), null, null, "valve \"checked\"", "operator1");
        file.write(second);
        assertThat(file.read()).contains(second);
        assertThat(file.read().orElseThrow().topContributor()).isEmpty();
        assertThat(file.read().orElseThrow().clientUserId()).isEqualTo("operator1");
        try (var files = Files.list(file.path().getParent())) {
            assertThat(files).containsExactly(file.path());
        }
    }

    @Test
    void unreadableOrForeignFilesGiveAFreshStart(@TempDir Path dir) throws Exception {
        AlarmStateFile file = AlarmStateFile.in(dir);
        for (String content : new String[]{"", "{", "[]", "{\"format\": 1}", "{\"format\": 99, \"level\": \"LOW\","
                + " \"acked\": true, \"enabled\": true, \"severity\": 500}", "{\"format\": 1, \"level\": \"SEVERE\","
                + " \"acked\": true, \"enabled\": true, \"severity\": 500}"}) {
            Files.writeString(file.path(), content);
            assertThat(file.read()).as(content).isEmpty();
        }
    }
}
