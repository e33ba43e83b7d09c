package io.wellwatch.fault;

import io.wellwatch.app.WellWatchApp;
import io.wellwatch.config.AppConfig;
import io.wellwatch.config.ConfigLoader;
import io.wellwatch.sim.PlcSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.wellwatch.fault.FaultRig.WELL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The config file is edited while WellWatch runs: an invalid edit is counted on the metrics
 * endpoint and WellWatch keeps running (and detecting) on the config it started with; a valid edit
 * is counted too and changes nothing until a restart; a deleted file is counted as invalid and
 * detection goes on.
 */
class ConfigChangeTest {

    @TempDir
    Path work;

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void anInvalidEditIsReportedAndTheServerKeepsItsConfig() throws Exception {
        int plcPort = FaultRig.freePort();
        int metricsPort = FaultRig.freePort();
        try (PlcSimulator plc = new PlcSimulator(FaultRig.simulator(plcPort, 20, "none"))) {
            plc.start();
            String yaml = FaultRig.config(FaultRig.freePort(), metricsPort, plcPort, work.resolve("models"), null, 50, "");
            Path file = work.resolve("wellwatch.yaml");
            Files.writeString(file, yaml);
            AppConfig config = ConfigLoader.load(file);
            try (WellWatchApp app = WellWatchApp.start(config, work.resolve("pki"), List.of())) {
                app.watchConfig(file, config);
                for (int i = 0; i < 600 && processed(app) == 0; i++) {
                    Thread.sleep(100); // until samples flow
                }

                Files.writeString(file, yaml.replace("samplingPeriodMs: 50", "samplingPeriodMs: -5"));
                awaitReloads(metricsPort, "invalid", 1);
                long before = processed(app);
                Thread.sleep(1000);
                assertThat(processed(app)).as("still detecting on the old config").isGreaterThan(before);
                assertThat(app.server().isRunning()).isTrue();

                Files.writeString(file, yaml.replace("staleAfterMs: 60000", "staleAfterMs: 30000"));
                awaitReloads(metricsPort, "valid", 1);
                assertThat(app.detector(WELL).status().connected()).isTrue();

                Files.delete(file);
                awaitReloads(metricsPort, "invalid", 2);
                long beforeDelete = processed(app);
                Thread.sleep(1000);
                assertThat(processed(app)).as("still detecting with the config file gone").isGreaterThan(beforeDelete);
            }
        }
    }

    private static long processed(WellWatchApp app) {
        var s = app.detector(WELL).status();
        return s.normal() + s.analyzing() + s.invalid();
    }

    private static void awaitReloads(int metricsPort, String result, double count) throws InterruptedException {
        for (int i = 0; i < 150; i++) {
            if (FaultRig.value(FaultRig.scrape(metricsPort), "wellwatch_config_reloads_total", "result=\"" + result + "\"") >= count) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no " + result + " config reload counted; page:\n" + FaultRig.scrape(metricsPort));
    }
}
