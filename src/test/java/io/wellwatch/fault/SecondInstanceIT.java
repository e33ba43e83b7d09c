package io.wellwatch.fault;

import io.wellwatch.app.WellWatchApp;
import io.wellwatch.config.AppConfig;
import io.wellwatch.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A second WellWatch on the same model directory (e.g. {@code serve --config config/demo.yaml --port N}
 * while the demo runs) would collide with the first on model versions and history: it is refused at
 * start with a message naming the first, and the first serves on undisturbed.
 */
class SecondInstanceIT {

    @TempDir
    Path work;

    private String config(int serverPort, int plcPort) throws Exception {
        return FaultRig.config(serverPort, 0, plcPort, work.resolve("models"),
                "jdbc:sqlite:" + work.resolve("history.db"), 1000, "");
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aSecondProcessOnTheSameModelDirectoryIsRefusedNamingTheFirst() throws Exception {
        int plcPort = FaultRig.freePort(); // no PLC there: both keep retrying, which is enough to serve
        Path first = work.resolve("first.yaml");
        Files.writeString(first, config(FaultRig.freePort(), plcPort));
        Path second = work.resolve("second.yaml");
        int secondPort = FaultRig.freePort();
        Files.writeString(second, config(secondPort, plcPort));
        try (ServerProcess a = ServerProcess.start(work, first)) {
            a.await(0, "WellWatch serving", 90_000);
            try (ServerProcess b = ServerProcess.start(work, second)) {
                assertThat(b.awaitExit(90_000)).as("exit code of the refused second instance").isEqualTo(1);
                b.await(0, "in use by another WellWatch \\(pid " + a.pid() + ", started ", 1000);
                b.await(0, "give this one its own storage.modelDir and history.jdbcUrl", 1000);
            }
            assertThat(a.isAlive()).as("the first instance serves on").isTrue();
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress("127.0.0.1", secondPort)); // the refused one opened nothing
            }
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void inOneProcessTooAndTheDirectoryIsFreeAgainAfterClose() throws Exception {
        int plcPort = FaultRig.freePort();
        AppConfig a = ConfigLoader.parse(config(FaultRig.freePort(), plcPort), "a.yaml", work);
        AppConfig b = ConfigLoader.parse(config(FaultRig.freePort(), plcPort), "b.yaml", work);
        try (WellWatchApp first = WellWatchApp.start(a, work.resolve("pki"), List.of())) {
            assertThatThrownBy(() -> WellWatchApp.start(b, work.resolve("pki"), List.of()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(work.resolve("models").toAbsolutePath().toString())
                    .hasMessageContaining("in use by another WellWatch");
            assertThat(first.server().isRunning()).isTrue();
        }
        try (WellWatchApp again = WellWatchApp.start(b, work.resolve("pki"), List.of())) {
            assertThat(again.server().isRunning()).as("closing the first released the directory").isTrue();
        }
    }
}
