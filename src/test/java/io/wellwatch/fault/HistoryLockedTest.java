package io.wellwatch.fault;

import io.wellwatch.app.WellWatchApp;
import io.wellwatch.config.AppConfig;
import io.wellwatch.config.ConfigLoader;
import io.wellwatch.core.WellDetector;
import io.wellwatch.history.HistoryStore;
import io.wellwatch.sim.PlcSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.wellwatch.fault.FaultRig.WELL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole WellWatch (simulator PLC, detector, server, metrics endpoint) while another program
 * holds its SQLite history database locked: the loss is logged, counted on the metrics endpoint
 * (rows dropped, failed batches), detection goes on, and history is written again once the lock goes.
 */
class HistoryLockedTest {

    @TempDir
    Path work;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aLockedDatabaseIsLoggedAndCountedWhileDetectionGoesOn() throws Exception {
        int plcPort = FaultRig.freePort();
        int metricsPort = FaultRig.freePort();
        String url = "jdbc:sqlite:" + work.resolve("history.db");
        try (PlcSimulator plc = new PlcSimulator(FaultRig.simulator(plcPort, 20, "none"))) {
            plc.start();
            AppConfig config = ConfigLoader.parse(FaultRig.config(FaultRig.freePort(), metricsPort, plcPort,
                    work.resolve("models"), url, 50, ""), "locked.yaml", work);
            try (WellWatchApp app = WellWatchApp.start(config, work.resolve("pki"), List.of())) {
                WellDetector detector = app.detector(WELL);
                FaultRig.await(() -> metric(metricsPort, "wellwatch_history_rows_written_total") > 0, 60, "history rows written");
                assertThat(metric(metricsPort, "wellwatch_history_write_failures_total")).isZero();

                try (LogCapture log = new LogCapture(HistoryStore.class.getName())) {
                    try (Connection other = DriverManager.getConnection(url); Statement s = other.createStatement()) {
                        s.execute("BEGIN EXCLUSIVE");
                        s.execute("INSERT INTO wh_event (well_id, t, event_type, severity) VALUES ('other', 0, 'lock', 0)");

                        FaultRig.await(() -> metric(metricsPort, "wellwatch_history_write_failures_total") >= 1
                                && metric(metricsPort, "wellwatch_history_rows_dropped_total") >= 1, 60, "a failed batch counted");
                        long processedAtFailure = FaultRig.processed(detector.status());
                        FaultRig.await(() -> FaultRig.processed(detector.status()) > processedAtFailure + 20, 30,
                                "detection going on while history is locked");
                        assertThat(log.lines()).as("the loss is logged").anySatisfy(line -> assertThat(line)
                                .startsWith("WARN").contains("detection continues").contains("history rows lost"));
                        s.execute("ROLLBACK");
                    }
                    double written = metric(metricsPort, "wellwatch_history_rows_written_total");
                    FaultRig.await(() -> metric(metricsPort, "wellwatch_history_rows_written_total") > written, 60,
                            "history written again after the lock went");
                    assertThat(log.lines()).as("the recovery is logged").anySatisfy(line -> assertThat(line)
                            .startsWith("INFO").contains("writing again after"));
                }
                assertThat(app.server().isRunning()).isTrue();
            }
        }
    }

    private static double metric(int port, String name) {
        return FaultRig.value(FaultRig.scrape(port), name, "");
    }
}
