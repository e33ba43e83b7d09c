package io.wellwatch.backtest;

import io.wellwatch.config.ConfigLoader;
import io.wellwatch.config.WellConfig;
import io.wellwatch.model.Dl4jForecasterFactory;
import io.wellwatch.model.FileModelStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The detection rules on the shipped real data with the demo's own settings, sample by sample (no
 * OPC UA, synchronous training, fixed seed): quiet on normal operation, no latching on slow drift,
 * an alarm on the real fault.
 */
class BacktestTest {

    @TempDir
    Path models;

    private FileMetrics replay(String file, int rows) throws Exception {
        return replay(file, rows, ConfigLoader.load(Path.of("config/demo.yaml")).wells().get(1));
    }

    private FileMetrics replay(String file, int rows, WellConfig well) throws Exception {
        Dl4jForecasterFactory factory = new Dl4jForecasterFactory();
        Recording rec = HistorianCsv.read(Path.of("src/data/3w", file), file, CsvLayout.THREE_W, well).head(rows);
        Backtest.Result result = new Backtest(well, factory, new FileModelStore(models, factory))
                .run(rec, Duration.ofMillis(well.samplingPeriodMs()), n -> { });
        FileMetrics m = FileMetrics.of(result, well.id(), "timeline.csv");
        System.err.println("backtest of " + file + " (" + rec.rows() + " rows): " + BacktestMetrics.JSON.valueToTree(m));
        return m;
    }

    @Test
    void spuriousDhsvClosureRaisesTheAlarmAndTheNormalPartStaysQuiet() throws Exception {
        FileMetrics m = replay("2-WELL-00002_20131104014101.csv", Integer.MAX_VALUE);
        assertThat(m.samples()).as("one sample every 3 s of data").isEqualTo((9121 + 2) / 3);
        assertThat(Instant.parse(m.firstModelTime())).as("first model after 500 samples of 3 s")
                .isBetween(Instant.parse("2013-11-04T02:05:00Z"), Instant.parse("2013-11-04T02:07:00Z"));
        assertThat(m.normalRiskNormalShare()).as("risk Normal on the normal part").isGreaterThanOrEqualTo(0.95);
        assertThat(m.alarmActivationsOnNormal()).as("debounced alarm activations on normal data").isLessThanOrEqualTo(1);
        assertThat(m.detectionDelaySeconds()).as("alarm active within 5 min of the fault label").isNotNull()
                .isLessThan(300.0);
        assertThat(m.highestAlarmLevel()).isEqualTo("HIGH");
        assertThat(m.analyzingShare()).as("no latching: most samples are not Analyzing").isLessThan(0.5);
        // Inside the fault only samples the model in service judged Normal are learned, and training
        // and tolerance stop at every Analyzing episode; a model that would blunt the detector
        // (tolerance above maxToleranceGrowth = 2x the one in service) is not used.
        double first = m.retrainings().get(0).tolerance();
        assertThat(m.retrainings()).filteredOn(FileMetrics.Retraining::accepted)
                .allSatisfy(t -> assertThat(t.tolerance()).as("tolerance of v%d", t.version()).isLessThanOrEqualTo(2 * first));
    }

    @Test
    void theDeadbandKeepsTheAlarmsSeverityFromChatteringOnTheRealFaultAndDetectsTheSame() throws Exception {
        WellConfig demo = ConfigLoader.load(Path.of("config/demo.yaml")).wells().get(1);
        String file = "2-WELL-00002_20131104014101.csv";
        FileMetrics withDeadband = replay(file, Integer.MAX_VALUE, demo);
        FileMetrics without = replay(file, Integer.MAX_VALUE, demo.withDetector(
                io.wellwatch.config.DetectorSettings.of("{risk: {deadband: 0}}")));
        assertThat(demo.detector().risk().deadband()).as("the default").isEqualTo(0.2);
        // Same detection (the deadband only slows the alarm's fall), fewer events for the console
        assertThat(withDeadband.detectionDelaySeconds()).isEqualTo(without.detectionDelaySeconds());
        assertThat(withDeadband.alarmActivationsOnNormal()).isEqualTo(without.alarmActivationsOnNormal());
        assertThat(withDeadband.recall()).isGreaterThanOrEqualTo(without.recall());
        assertThat(withDeadband.alarmEvents()).as("alarm events with deadband 0.2 vs none")
                .isLessThan(without.alarmEvents());
    }

    @Test
    void twoHoursOfNormalOperationNeitherAlarmNorLatch() throws Exception {
        FileMetrics m = replay("0-WELL-00001_20170201020207.csv", 7200);
        assertThat(m.normalRiskNormalShare()).isGreaterThanOrEqualTo(0.99);
        assertThat(m.alarmActivationsOnNormal()).isZero();
        assertThat(m.precision()).as("no alarm: nothing falsely claimed").isEqualTo(1.0);
        // Retraining keeps happening every 500 new normal samples: the window is never starved.
        assertThat(m.trainings()).isGreaterThanOrEqualTo(4);
        assertThat(m.analyzingShare()).isLessThan(0.02);
    }
}
