package io.wellwatch.fault;

import io.wellwatch.app.WellWatchApp;
import io.wellwatch.config.AppConfig;
import io.wellwatch.config.ConfigLoader;
import io.wellwatch.core.WellDetector;
import io.wellwatch.core.WellStatus;
import io.wellwatch.sim.PlcSimulator;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.wellwatch.fault.FaultRig.WELL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A misbehaving PLC ({@code faults: garbage}: NaN, infinities, strings, arrays, a Good null, huge
 * values, out-of-order, duplicate and future timestamps, bursts, frozen values) feeding the real
 * WellWatch over 127.0.0.1: nothing crashes, every kind is counted per reason on the metrics
 * endpoint, no bad value reaches a model (it trains, and its tolerance and loss are finite), and
 * detection goes on between the faults.
 */
class GarbageStreamTest {

    private static final Logger LOG = LogManager.getLogger(GarbageStreamTest.class);
    /** The reasons the garbage must show up as (bursts are absorbed by the subscription's queue of one). */
    private static final List<String> EXPECTED = List.of("not_finite", "wrong_type", "out_of_range", "out_of_order",
            "duplicate_timestamp", "future_timestamp", "frozen");

    @TempDir
    Path work;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void garbageIsCountedPerReasonAndNeverReachesAModel() throws Exception {
        int plcPort = FaultRig.freePort();
        int metricsPort = FaultRig.freePort();
        // 20x: a row every 50 ms, one sample per row; rows are one second of data apart.
        try (PlcSimulator plc = new PlcSimulator(FaultRig.simulator(plcPort, 20, "garbage"))) {
            plc.start();
            AppConfig config = ConfigLoader.parse(FaultRig.config(FaultRig.freePort(), metricsPort, plcPort,
                    work.resolve("models"), null, 50, "    frozenAfterMs: 40000\n"), "garbage.yaml", work);
            try (WellWatchApp app = WellWatchApp.start(config, work.resolve("pki"), List.of())) {
                WellDetector detector = app.detector(WELL);
                String page = null;
                long deadline = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(150);
                while (System.currentTimeMillis() < deadline && !(allSeen(page) && detector.activeModelCount() > 0)) {
                    Thread.sleep(1000);
                    page = FaultRig.scrape(metricsPort);
                }
                // Silence the PLC so that the page and the detector's counts describe the same samples.
                plc.stop();
                Thread.sleep(1000);
                page = FaultRig.scrape(metricsPort);
                Map<String, Double> counted = new LinkedHashMap<>();
                for (String reason : EXPECTED) {
                    counted.put(reason, FaultRig.value(page, "wellwatch_bad_input_total",
                            "reason=\"" + reason + "\",well=\"" + WELL + "\""));
                }
                counted.put("burst", FaultRig.value(page, "wellwatch_bad_input_total", "reason=\"burst\",well=\"" + WELL + "\""));
                WellStatus status = detector.status();
                LOG.info("garbage sent by kind {}; counted by reason {}; samples normal {}, analyzing {}, invalid {}",
                        plc.garbageSent(WELL), counted, status.normal(), status.analyzing(), status.invalid());

                assertThat(app.server().isRunning()).isTrue();
                for (String reason : EXPECTED) {
                    assertThat(counted.get(reason)).as("bad input counted as %s; page:%n%s", reason, page).isGreaterThan(0);
                }
                assertThat(plc.garbageSent(WELL).values()).allSatisfy(n -> assertThat(n).isPositive());
                assertThat(detector.activeModelCount()).as("a model was trained between the faults").isEqualTo(1);
                assertThat(status.last().tolerance()).as("no NaN reached the model").isFinite().isPositive();
                assertThat(status.last().modelVersion()).isPositive();
                assertThat(FaultRig.sum(page, "wellwatch_samples_total", "state=\"normal\"")).isPositive();
                assertThat(FaultRig.sum(page, "wellwatch_samples_total", "state=\"invalid\""))
                        .isEqualTo((double) status.invalid());
                assertThat(FaultRig.value(page, "wellwatch_models", "well=\"" + WELL + "\"")).isEqualTo(1.0);
                assertThat(FaultRig.value(page, "wellwatch_scoring_seconds_count", "well=\"" + WELL + "\""))
                        .as("every processed sample timed").isGreaterThanOrEqualTo((double) status.invalid());
                assertThat(FaultRig.value(page, "wellwatch_training_seconds_count", "outcome=\"in_service\",well=\"" + WELL + "\""))
                        .isGreaterThanOrEqualTo(1.0);
            }
        }
    }

    private static boolean allSeen(String page) {
        return EXPECTED.stream().allMatch(r -> FaultRig.value(page, "wellwatch_bad_input_total",
                "reason=\"" + r + "\",well=\"" + WELL + "\"") > 0);
    }
}
