package io.wellwatch.core;

import io.wellwatch.config.DetectorConfig;
import io.wellwatch.config.RiskBands;
import io.wellwatch.config.SensorConfig;
import io.wellwatch.config.ValveConfig;
import io.wellwatch.config.WellConfig;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CoreRulesTest {

    private static final Instant T0 = Instant.parse("2017-02-01T02:02:07Z");

    // ---- training window ----

    @Test
    void windowKeepsTheLastCapacitySamplesOldestFirst() {
        TrainingWindow w = new TrainingWindow(3, 1);
        for (int i = 1; i <= 5; i++) {
            w.add(new double[]{i}, T0.plusSeconds(i), true);
        }
        TrainingWindow.Snapshot s = w.snapshot();
        assertThat(w.size()).isEqualTo(3);
        assertThat(s.rows()).isDeepEqualTo(new double[][]{{3}, {4}, {5}});
        assertThat(s.from()).isEqualTo(T0.plusSeconds(3));
        assertThat(s.to()).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void windowSnapshotIsACopy() {
        TrainingWindow w = new TrainingWindow(2, 1);
        double[] row = {1};
        w.add(row, T0, true);
        row[0] = 99;
        TrainingWindow.Snapshot s = w.snapshot();
        w.add(new double[]{2}, T0, true);
        w.add(new double[]{3}, T0, true);
        assertThat(s.rows()).isDeepEqualTo(new double[][]{{1}});
    }

    // ---- scaler ----

    @Test
    void scalerMapsTheFittedRangeToZeroOne() {
        MinMaxScaler s = MinMaxScaler.fit(new double[][]{{10, 100}, {20, 300}}, new double[]{0, 0});
        double[] out = new double[2];
        s.scale(new double[]{10, 300}, out);
        assertThat(out).containsExactly(0.0, 1.0);
    }

    @Test
    void scalerDoesNotClipValuesOutsideTheFittedRange() {
        MinMaxScaler s = MinMaxScaler.fit(new double[][]{{0}, {10}}, new double[]{0});
        double[] out = new double[1];
        s.scale(new double[]{-10}, out);
        assertThat(out[0]).isEqualTo(-1.0);
        s.scale(new double[]{25}, out);
        assertThat(out[0]).isEqualTo(2.5);
    }

    @Test
    void scalerWidensAQuietSensorToItsMeaningfulSpan() {
        // Real case: T-TPT moved 0.0023 °C in one window; 13 minutes of drift later it would scale to -25.
        MinMaxScaler s = MinMaxScaler.fit(new double[][]{{119.0900}, {119.0923}}, new double[]{1.0});
        double[] out = new double[1];
        s.scale(new double[]{119.03}, out);
        assertThat(s.range()[0]).isEqualTo(1.0);
        assertThat(out[0]).isBetween(0.0, 1.0);
    }

    @Test
    void scalerCopesWithConstantColumns() {
        MinMaxScaler s = MinMaxScaler.fit(new double[][]{{0}, {0}, {0}}, new double[]{0});
        double[] out = new double[1];
        s.scale(new double[]{0}, out);
        assertThat(out[0]).isFinite();
        s.scale(new double[]{1}, out);
        assertThat(out[0]).isFinite().isGreaterThan(1.0);
    }

    // ---- valve-state key ----

    @Test
    void valveKeyIsCanonicalWhateverTheConfigOrder() {
        String a = ValveStateKey.of(List.of("W1", "DHSV", "M1"), new int[]{1, 0, 1});
        String b = ValveStateKey.of(List.of("M1", "W1", "DHSV"), new int[]{1, 1, 0});
        assertThat(a).isEqualTo("DHSV=0;M1=1;W1=1").isEqualTo(b);
        assertThat(ValveStateKey.of(List.of("DHSV"), new int[]{1})).isNotEqualTo(ValveStateKey.of(List.of("DHSV"), new int[]{0}));
        assertThat(ValveStateKey.of(List.of(), new int[0])).isEmpty();
    }

    // ---- risk bands ----

    @Test
    void riskBandsFollowLossOverTolerance() {
        RiskPolicy p = new RiskPolicy(RiskBands.DEFAULT);
        assertThat(p.level(0.10, 0.10)).isEqualTo(RiskLevel.NORMAL);
        assertThat(p.level(0.11, 0.10)).isEqualTo(RiskLevel.LOW);
        assertThat(p.level(0.15, 0.10)).isEqualTo(RiskLevel.LOW);
        assertThat(p.level(0.20, 0.10)).isEqualTo(RiskLevel.MEDIUM);
        assertThat(p.level(0.26, 0.10)).isEqualTo(RiskLevel.HIGH);
        assertThat(p.level(Double.NaN, 0.10)).isEqualTo(RiskLevel.NORMAL);
        assertThat(p.isAboveTolerance(0.11, 0.10)).isTrue();
        assertThat(p.isAboveTolerance(0.09, 0.10)).isFalse();
    }

    @Test
    void riskBandsMustBeOrdered() {
        assertThatThrownBy(() -> new RiskPolicy(RiskBands.withoutDeadband(2, 1.5, 3))).hasMessageContaining("low <= medium");
    }

    // ---- loss tracker ----

    @Test
    void lossIsTheRollingMeanAbsoluteErrorAndNamesTheTopSensor() {
        LossTracker t = new LossTracker(2, 2);
        assertThat(t.loss()).isNaN();
        t.add(new double[]{0, 0}, new double[]{1, 0});     // errors 1, 0
        t.add(new double[]{0, 0}, new double[]{0, 3});     // errors 0, 3
        assertThat(t.loss()).isCloseTo(1.0, within(1e-12)); // (1+0+0+3)/4
        assertThat(t.topContributor()).isEqualTo(1);
        t.add(new double[]{0, 0}, new double[]{0, 0});     // pushes out the first sample
        assertThat(t.loss()).isCloseTo(0.75, within(1e-12));
    }

    // ---- tolerance rule ----

    @Test
    void toleranceIsAMarginOverAHighQuantileOfTheTrainingLosses() {
        // A "persistence" forecaster predicts the current value: its error is |x(t+1) - x(t)|.
        Forecaster persistence = new PersistenceForecaster(1);
        double[][] rows = new double[200][1];
        for (int i = 0; i < rows.length; i++) {
            rows[i][0] = (i % 2) * 0.1;   // alternating: every error is exactly 0.1
        }
        ToleranceRule rule = new ToleranceRule(0.99, 1.5, 0.02, 5, 3);
        ToleranceRule.Fit fit = rule.fit(persistence, rows);
        assertThat(fit.tolerance()).isCloseTo(0.15, within(1e-9));
        assertThat(fit.meanLoss()).isCloseTo(0.1, within(1e-9));
        ToleranceRule.Fit quiet = rule.fit(persistence, new double[200][1]);
        assertThat(quiet.tolerance()).isEqualTo(0.02);
    }

    @Test
    void toleranceRestartsAtEveryGapAsScoringDoes() {
        Forecaster persistence = new PersistenceForecaster(1);
        ToleranceRule rule = new ToleranceRule(1.0, 1.0, 1e-9, 5, 3);
        assertThat(rule.minRunLength()).isEqualTo(9);
        // Runs of 40, 8 (too short to be judged) and 40 rows; each alternates by 0.1, but the levels
        // jump by 100 between runs. Stepped across the gaps, the maximum loss would be about 20.
        double[][] rows = new double[88][1];
        for (int i = 0; i < rows.length; i++) {
            int run = i < 40 ? 0 : i < 48 ? 1 : 2;
            rows[i][0] = run * 100 + (i % 2) * 0.1;
        }
        ContiguousRuns runs = new ContiguousRuns(rows, new int[] {0, 40, 48});
        assertThat(rule.fit(persistence, runs).tolerance()).isCloseTo(0.1, within(1e-9));
        assertThat(rule.fit(persistence, rows).tolerance()).as("one run: the jumps count").isGreaterThan(10);
        assertThatThrownBy(() -> rule.fit(persistence, new ContiguousRuns(rows, new int[] {0, 8, 16, 24, 32, 40, 48,
                56, 64, 72, 80}))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no run of at least 9");
    }

    @Test
    void runsShorterThanScoringNeedsAreLeftOut() {
        double[][] rows = new double[10][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new double[] {i};
        }
        ContiguousRuns runs = new ContiguousRuns(rows, new int[] {0, 2, 7}); // lengths 2, 5, 3
        assertThat(runs.atLeast(3).starts()).containsExactly(0, 5);
        assertThat(runs.atLeast(3).rows()).isDeepEqualTo(new double[][] {{2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}});
        assertThat(runs.atLeast(4).rows()).isDeepEqualTo(new double[][] {{2}, {3}, {4}, {5}, {6}});
        assertThat(runs.atLeast(2)).isSameAs(runs);
    }

    // ---- validity ----

    private static WellConfig well() {
        return WellConfig.of("W", "opc.tcp://127.0.0.1:1/plc", 1000L, 10_000L,
                List.of(new SensorConfig("P", "ns=2;s=P", 0.0, 100.0, 1.0),
                        new SensorConfig("T", "ns=2;s=T", -50.0, 250.0, 1.0)),
                List.of(new ValveConfig("DHSV", "ns=2;s=DHSV")),
                DetectorConfig.DEFAULT);
    }

    private static RawSample sample(TagReading p, TagReading t, TagReading v) {
        return new RawSample("W", T0, new TagReading[]{p, t}, new TagReading[]{v});
    }

    @Test
    void validSampleFillsValuesAndValveStates() {
        SampleValidator validator = new SampleValidator(well());
        double[] values = new double[2];
        int[] valves = new int[1];
        String reason = validator.check(sample(TagReading.good(50, T0), TagReading.good(80, T0), TagReading.good(1, T0)), values, valves);
        assertThat(reason).isNull();
        assertThat(values).containsExactly(50.0, 80.0);
        assertThat(valves).containsExactly(1);
    }

    @Test
    void everyKindOfBadReadingMakesTheSampleInvalidAndSaysWhy() {
        SampleValidator validator = new SampleValidator(well());
        double[] values = new double[2];
        int[] valves = new int[1];
        TagReading goodT = TagReading.good(80, T0);
        TagReading open = TagReading.good(1, T0);
        assertThat(validator.check(sample(null, goodT, open), values, valves)).isEqualTo("P missing");
        assertThat(validator.check(sample(new TagReading(50, Quality.BAD, T0), goodT, open), values, valves)).contains("P quality BAD");
        assertThat(validator.check(sample(new TagReading(50, Quality.UNCERTAIN, T0), goodT, open), values, valves)).contains("UNCERTAIN");
        assertThat(validator.check(sample(TagReading.good(Double.NaN, T0), goodT, open), values, valves)).contains("not finite");
        assertThat(validator.check(sample(TagReading.good(Double.POSITIVE_INFINITY, T0), goodT, open), values, valves)).contains("not finite");
        assertThat(validator.check(sample(TagReading.good(-1, T0), goodT, open), values, valves)).contains("implausible");
        assertThat(validator.check(sample(TagReading.good(50, T0.minusSeconds(60)), goodT, open), values, valves)).contains("P stale");
        assertThat(validator.check(sample(TagReading.good(50, T0), goodT, null), values, valves)).isEqualTo("DHSV missing");
        assertThat(validator.check(sample(TagReading.good(50, T0), goodT, TagReading.good(0.5, T0)), values, valves)).contains("not a whole number");
    }

    /** Predicts that the next row equals the current one: a transparent forecaster for rule tests. */
    static final class PersistenceForecaster implements Forecaster {
        private final int features;

        PersistenceForecaster(int features) {
            this.features = features;
        }

        @Override
        public int features() {
            return features;
        }

        @Override
        public void reset() {
        }

        @Override
        public void step(double[] scaledRow, double[] predictedNext) {
            System.arraycopy(scaledRow, 0, predictedNext, 0, features);
        }
    }
}
