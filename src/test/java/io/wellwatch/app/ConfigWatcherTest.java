package io.wellwatch.app;

import io.wellwatch.config.AppConfig;
import io.wellwatch.config.ConfigLoader;
import io.wellwatch.fault.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The config file as plant IT may treat it while WellWatch runs, seen by the real watcher. */
class ConfigWatcherTest {

    private static final String CONFIG = "wells: [ { id: WELL-1, endpoint: \"opc.tcp://127.0.0.1:4841/plc\","
            + " sensors: [ { name: P-TPT, nodeId: \"ns=2;s=P-TPT\" } ] } ]\n";

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void aDeletedConfigIsReportedAsInvalidAndARestoredOneAsValid() throws Exception {
        Path file = Files.writeString(dir.resolve("wellwatch.yaml"), CONFIG);
        AppConfig running = ConfigLoader.load(file);
        LinkedBlockingQueue<Boolean> reloads = new LinkedBlockingQueue<>();
        try (ConfigWatcher watcher = new ConfigWatcher(file, running, reloads::add)) {
            Files.delete(file);
            assertThat(reloads.poll(20, TimeUnit.SECONDS)).as("report of the deletion").isFalse();

            Files.writeString(file, CONFIG);
            assertThat(reloads.poll(20, TimeUnit.SECONDS)).as("report of the restored file").isTrue();
        }
    }

    @Test
    void aChangedKeepAliveIsNamedAsTakingEffectAfterARestart() throws Exception {
        AppConfig running = ConfigLoader.parse(CONFIG, "running.yaml", dir);
        AppConfig edited = ConfigLoader.parse(CONFIG + "upstream: { keepAliveIntervalMs: 2000 }\n", "edited.yaml", dir);
        assertThat(ConfigWatcher.differences(running, edited)).containsExactly("upstream");
    }

    @Test
    void garbageYamlIsLoggedAsAPlainSentenceWithItsLine() throws Exception {
        Path file = Files.writeString(dir.resolve("wellwatch.yaml"), CONFIG);
        AppConfig running = ConfigLoader.load(file);
        LinkedBlockingQueue<Boolean> reloads = new LinkedBlockingQueue<>();
        try (LogCapture log = new LogCapture(ConfigWatcher.class.getName());
             ConfigWatcher watcher = new ConfigWatcher(file, running, reloads::add)) {
            Files.writeString(file, "wells: [\n garbage::: {{{\n");
            watcher.check();
            assertThat(reloads.poll(20, TimeUnit.SECONDS)).isFalse();
            assertThat(log.lines()).contains("ERROR Config file changed and is invalid: " + file
                    + ":2: not valid YAML: expected a key (a plain name before ':'), found a mapping;"
                    + " still running on the configuration loaded at start");
        }
    }
}
