package io.wellwatch.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The model directory as the lock finds it on disk: usable, or refused with the setting's name and why. */
class InstanceLockTest {

    @TempDir
    Path work;

    @Test
    void aModelDirThatIsAFileIsNamedAsTheSettingWithTheReason() throws Exception {
        Path file = Files.writeString(work.resolve("models"), "a file where the model directory should be");

        assertThatThrownBy(() -> InstanceLock.acquire(file))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("storage.modelDir " + file + " (")
                .hasMessageContaining("cannot use it as the model directory: ")
                .hasMessageContaining("exists and is not a directory");
    }

    @Test
    void aModelDirBelowAFileIsNamedToo() throws Exception {
        Path file = Files.writeString(work.resolve("state"), "a file");

        assertThatThrownBy(() -> InstanceLock.acquire(file.resolve("models")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("storage.modelDir " + file.resolve("models") + " (")
                .hasMessageContaining(file.toString());
    }

    @Test
    void aMissingModelDirIsCreatedAndLocked() throws Exception {
        Path dir = work.resolve("state/models");
        try (InstanceLock lock = InstanceLock.acquire(dir)) {
            assertThat(dir.resolve(InstanceLock.FILE_NAME)).isRegularFile();
        }
    }
}
