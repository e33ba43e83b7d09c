package io.wellwatch.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.wellwatch.core.Forecaster;
import io.wellwatch.core.TrainedForecaster;
import io.wellwatch.core.TrainingSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real DL4J training on a synthetic process: 3 sensors (two slow sines with noise, one constant). */
class Dl4jLstmForecasterTest {

    static final TrainingSettings SETTINGS = new TrainingSettings(20, 16, 8, 32, 5e-3, 7);
    /** Tiny settings for tests that only need some trained network. */
    static final TrainingSettings TINY = new TrainingSettings(8, 8, 2, 32, 1e-2, 11);

    static final Dl4jForecasterFactory FACTORY = new Dl4jForecasterFactory();
    static double[][] training;
    static double[][] fresh;
    /** Short fresh data for the identity checks. */
    static double[][] probe;
    static TrainedForecaster trained;

    @BeforeAll
    static void train() {
        training = SyntheticWell.rows(0, 500, 1);
        fresh = SyntheticWell.rows(500, 600, 2);
        probe = Arrays.copyOf(fresh, 150);
        trained = FACTORY.train(training, SETTINGS);
    }

    @AfterAll
    static void close() {
        trained.forecaster().close();
    }

    @Test
    void learnsMoreThanPersistence() {
        Forecaster f = trained.forecaster();
        assertThat(f.features()).isEqualTo(3);
        assertThat(trained.trainingLoss()).isFinite().isPositive();
        // the reported training loss is the stepped MAE over the training rows from a reset state
        assertThat(mae(f, training)).isCloseTo(trained.trainingLoss(), within(1e-6));

        double freshMae = mae(f, fresh);
        // "next row = this row" is the baseline a differencing model starts from; it must do better
        assertThat(freshMae).isLessThan(0.95 * persistenceMae(fresh));
        // and it generalises to fresh data of the same process
        assertThat(freshMae).isLessThan(1.3 * trained.trainingLoss());
    }

    @Test
    void faultsRaiseTheError() {
        Forecaster f = trained.forecaster();

        double[][] ramp = SyntheticWell.copy(fresh);
        for (int k = 200; k < ramp.length; k++) {
            ramp[k][0] += 0.05 * Math.min(k - 200, 40); // sensor 0 runs away by +2 over 40 rows, then stays
        }
        assertThat(windowMae(f, ramp, 200, 240)).isGreaterThan(1.8 * windowMae(f, fresh, 200, 240));

        double[][] step = SyntheticWell.copy(fresh);
        for (int k = 300; k < step.length; k++) {
            step[k][1] += 0.3; // sensor 1 jumps
        }
        assertThat(windowMae(f, step, 300, 310)).isGreaterThan(1.8 * windowMae(f, fresh, 300, 310));

        // the constant sensor starting to jitter is a fault too (its own error goes from ~0 to ~0.018,
        // a third of which shows in the mean over the three sensors)
        double[][] wake = SyntheticWell.copy(fresh);
        for (int k = 400; k < wake.length; k++) {
            wake[k][2] += 0.02 * Math.sin(k);
        }
        assertThat(windowMae(f, wake, 400, 440)).isGreaterThan(1.4 * windowMae(f, fresh, 400, 440));
    }

    @Test
    void levelShiftAndSlowDriftDoNotLatch() {
        Forecaster f = trained.forecaster();
        double base = mae(f, fresh);
        // levels far outside the training range [0, 1]: the network only sees differences
        assertThat(mae(f, SyntheticWell.shifted(fresh, 5.0, 0))).isCloseTo(base, within(1e-3 * base));
        assertThat(mae(f, SyntheticWell.shifted(fresh, -5.0, 0))).isCloseTo(base, within(1e-3 * base));
        // a slow drift that carries every sensor from +5 to +5.6 costs little
        assertThat(mae(f, SyntheticWell.shifted(fresh, 5.0, 0.001))).isLessThan(1.15 * base);
    }

    @Test
    void steppingIsDeterministicAfterReset() {
        Forecaster f = trained.forecaster();
        double[][] a = predictions(f, probe);
        double[][] b = predictions(f, probe);
        assertThat(b).isDeepEqualTo(a);
        // the state matters: without a reset the same row gives a different forecast
        double[] p1 = new double[3];
        double[] p2 = new double[3];
        f.reset();
        f.step(fresh[0], p1);
        f.step(fresh[0], p2);
        assertThat(p2).isNotEqualTo(p1);
        // input and output may share an array
        f.reset();
        double[] row = fresh[0].clone();
        f.step(row, row);
        f.reset();
        f.step(fresh[0], p1);
        assertThat(row).containsExactly(p1);
    }

    @Test
    void trainingIsDeterministicForASeed() {
        double[][] rows = SyntheticWell.rows(0, 100, 3);
        TrainedForecaster a = FACTORY.train(rows, TINY);
        TrainedForecaster b = FACTORY.train(rows, TINY);
        TrainedForecaster c = FACTORY.train(rows, new TrainingSettings(8, 8, 2, 32, 1e-2, 12));
        try {
            assertThat(b.trainingLoss()).isEqualTo(a.trainingLoss());
            assertThat(predictions(b.forecaster(), probe)).isDeepEqualTo(predictions(a.forecaster(), probe));
            assertThat(predictions(c.forecaster(), probe)).isNotEqualTo(predictions(a.forecaster(), probe));
        } finally {
            a.forecaster().close();
            b.forecaster().close();
            c.forecaster().close();
        }
    }

    @Test
    void saveAndLoadGiveIdenticalPredictions(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("weights.zip");
        FACTORY.save(trained.forecaster(), file);
        try (Forecaster loaded = FACTORY.load(file)) {
            assertThat(loaded.features()).isEqualTo(3);
            assertThat(((Dl4jLstmForecaster) loaded).lstmUnits()).isEqualTo(SETTINGS.lstmUnits());
            assertThat(predictions(loaded, probe)).isDeepEqualTo(predictions(trained.forecaster(), probe));
        }
    }

    @Test
    void loadRejectsDamagedFiles(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("good.zip");
        FACTORY.save(trained.forecaster(), good);
        byte[] bytes = Files.readAllBytes(good);

        Path truncated = dir.resolve("truncated.zip");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> FACTORY.load(truncated)).isInstanceOf(IOException.class);

        Path garbage = dir.resolve("garbage.zip");
        byte[] noise = new byte[4096];
        new java.util.Random(1).nextBytes(noise);
        Files.write(garbage, noise);
        assertThatThrownBy(() -> FACTORY.load(garbage)).isInstanceOf(IOException.class);

        Path empty = dir.resolve("empty.zip");
        Files.write(empty, new byte[0]);
        assertThatThrownBy(() -> FACTORY.load(empty)).isInstanceOf(IOException.class);

        assertThatThrownBy(() -> FACTORY.load(dir.resolve("missing.zip"))).isInstanceOf(IOException.class);

        // a valid zip that is not a model
        Path other = dir.resolve("other.zip");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(other))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("configuration.json"));
            zip.write("{\"not\":\"a network\"}".getBytes());
        }
        assertThatThrownBy(() -> FACTORY.load(other)).isInstanceOf(IOException.class);
    }

    @Test
    void rejectsTooFewRowsWithAClearMessage() {
        TrainingSettings s = new TrainingSettings(10, 4, 1, 8, 1e-2, 1);
        assertThatThrownBy(() -> FACTORY.train(SyntheticWell.rows(0, 11, 1), s))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least lookback + 2 = 12 rows, got 11");
        // the smallest accepted input trains
        TrainedForecaster t = FACTORY.train(SyntheticWell.rows(0, 12, 1), s);
        assertThat(t.trainingLoss()).isFinite();
        t.forecaster().close();
    }

    @Test
    void rejectsRaggedOrNonFiniteRows() {
        double[][] rows = SyntheticWell.rows(0, 50, 1);
        rows[7] = new double[] {1, 2};
        assertThatThrownBy(() -> FACTORY.train(rows, TINY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 7");
        double[][] nan = SyntheticWell.rows(0, 50, 1);
        nan[9][1] = Double.NaN;
        assertThatThrownBy(() -> FACTORY.train(nan, TINY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 9");
        assertThatThrownBy(() -> trained.forecaster().step(new double[2], new double[3]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toleratesConstantColumns() {
        double[][] rows = new double[80][3];
        for (double[] r : rows) {
            r[0] = 0.5;
            r[1] = 0.0;
            r[2] = 1.0;
        }
        TrainedForecaster t = FACTORY.train(rows, TINY);
        try {
            assertThat(t.trainingLoss()).isFinite().isLessThan(0.01);
            double[] p = new double[3];
            t.forecaster().reset();
            for (double[] r : rows) {
                t.forecaster().step(r, p);
            }
            assertThat(p[0]).isCloseTo(0.5, within(0.01));
            assertThat(p[1]).isCloseTo(0.0, within(0.01));
            assertThat(p[2]).isCloseTo(1.0, within(0.01));
        } finally {
            t.forecaster().close();
        }
    }

    @Test
    void trainingInTheBackgroundDoesNotDisturbScoring() throws Exception {
        double[][] expected = predictions(trained.forecaster(), fresh);
        // (all 600 rows: the scoring must overlap the background training)
        ExecutorService trainer = Executors.newSingleThreadExecutor();
        try {
            Future<TrainedForecaster> background =
                    trainer.submit(() -> FACTORY.train(SyntheticWell.rows(0, 200, 5), TINY));
            double[][] during = predictions(trained.forecaster(), fresh);
            TrainedForecaster other = background.get(2, TimeUnit.MINUTES);
            other.forecaster().close();
            assertThat(during).isDeepEqualTo(expected);
        } finally {
            trainer.shutdownNow();
        }
    }

    @Test
    void closedForecasterRefusesWork() {
        TrainedForecaster t = FACTORY.train(SyntheticWell.rows(0, 40, 1), TINY);
        t.forecaster().close();
        t.forecaster().close(); // idempotent
        assertThatThrownBy(() -> t.forecaster().step(new double[3], new double[3]))
                .isInstanceOf(IllegalStateException.class);
    }

    // ---------------------------------------------------------------- helpers

    /** Forecasts of rows 1..n-1 from a reset state. */
    static double[][] predictions(Forecaster f, double[][] rows) {
        f.reset();
        double[][] out = new double[rows.length - 1][rows[0].length];
        for (int t = 0; t + 1 < rows.length; t++) {
            f.step(rows[t], out[t]);
        }
        return out;
    }

    /** Mean over steps and sensors of |forecast - actual| when stepping through all rows from a reset. */
    static double mae(Forecaster f, double[][] rows) {
        return windowMae(f, rows, 1, rows.length);
    }

    /** Like {@link #mae} but averaging only the forecasts of rows from..to-1 (the state still sees all rows). */
    static double windowMae(Forecaster f, double[][] rows, int from, int to) {
        double[][] p = predictions(f, Arrays.copyOf(rows, to));
        double sum = 0;
        int n = 0;
        for (int r = Math.max(from, 1); r < to; r++) {
            for (int i = 0; i < rows[r].length; i++) {
                sum += Math.abs(rows[r][i] - p[r - 1][i]);
            }
            n++;
        }
        return sum / (n * (double) rows[0].length);
    }

    static double persistenceMae(double[][] rows) {
        double sum = 0;
        for (int t = 1; t < rows.length; t++) {
            for (int i = 0; i < rows[t].length; i++) {
                sum += Math.abs(rows[t][i] - rows[t - 1][i]);
            }
        }
        return sum / ((rows.length - 1.0) * rows[0].length);
    }
}
