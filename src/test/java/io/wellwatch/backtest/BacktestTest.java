package io.wellwatch.backtest;

import io.wellwatch.config.ConfigLoader;
import io.wellwatch.config.WellConfig;
import io.wellwatch.core.RiskLevel;
import io.wellwatch.model.Dl4jForecasterFactory;
import io.wellwatch.model.FileModelStore;
import io.wellwatch.sim.ThreeWCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The detection rules on the shipped real data, sample by sample (no OPC UA, synchronous training,
 * fixed seed): quiet on normal operation, no latching on slow drift, an alarm on the real fault.
 */
class BacktestTest {

    @TempDir
    Path models;

    private Backtest.Result replay(String file, int rows) throws Exception {
        WellConfig well = ConfigLoader.load(Path.of("config/demo.yaml")).wells().get(1);
        Dl4jForecasterFactory factory = new Dl4jForecasterFactory();
        ThreeWCsv csv = ThreeWCsv.read(Path.of("src/data/3w", file));
        return new Backtest(well, factory, new FileModelStore(models, factory)).run(csv, 3, rows);
    }

    @Test
    void spuriousDhsvClosureRaisesTheAlarmAndTheNormalPartStaysQuiet() throws Exception {
        BacktestReport r = BacktestReport.of(replay("2-WELL-00002_20131104014101.csv", Integer.MAX_VALUE));
        System.err.println("backtest, class 2 instance: " + r.describe());
        assertThat(r.firstModelRow()).as("first model after 500 samples of 3 s").isBetween(1400, 1600);
        assertThat(r.normalScored()).isGreaterThan(600);
        assertThat(r.normalQuietShare()).as("risk Normal on the normal part").isGreaterThanOrEqualTo(0.95);
        assertThat(r.alarmActivationsNormal()).as("debounced alarm activations on normal data").isLessThanOrEqualTo(1);
        assertThat(r.firstAlarmActiveRow()).as("alarm active in the labelled fault").isPositive();
        assertThat(r.firstAlarmActiveRow() - r.faultStartRow()).as("rows from fault label to active alarm").isLessThan(300);
        assertThat(r.highestAlarmLevel()).isEqualTo(RiskLevel.HIGH);
        assertThat(r.analyzingShare()).as("no latching: most samples are not Analyzing").isLessThan(0.5);
    }

    @Test
    void twoHoursOfNormalOperationNeitherAlarmNorLatch() throws Exception {
        Backtest.Result result = replay("0-WELL-00001_20170201020207.csv", 7200);
        BacktestReport r = BacktestReport.of(result);
        System.err.println("backtest, 2 h of the normal instance: " + r.describe());
        assertThat(r.normalQuietShare()).isGreaterThanOrEqualTo(0.99);
        assertThat(r.alarmActivationsNormal()).isZero();
        // Retraining keeps happening every 500 new normal samples: the window is never starved.
        assertThat(r.modelVersions()).isGreaterThanOrEqualTo(4);
        assertThat(r.analyzingShare()).isLessThan(0.02);
    }
}
