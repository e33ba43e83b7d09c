package io.wellwatch.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wellwatch.bench.ThreeW;
import io.wellwatch.core.Forecaster;
import io.wellwatch.core.MinMaxScaler;
import io.wellwatch.core.TrainedForecaster;
import io.wellwatch.core.TrainingSettings;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The plain-Java stepper against DL4J's own {@code rnnTimeStep}, on a network trained by the factory
 * on real 3W data (a well with a transient and a fault: large changes that push the gates into
 * saturation as well as quiet normal operation).
 */
class LstmStepperTest {

    /** The production architecture (lookback 20, 32 units); few epochs, the weights only need to be trained. */
    static final TrainingSettings SETTINGS = new TrainingSettings(20, 32, 4, 32, 1e-3, 42);
    static final double TOLERANCE = 1e-5;
    static final Dl4jForecasterFactory FACTORY = new Dl4jForecasterFactory();

    /** Every 3rd row of 2-WELL-00002, scaled: ~3000 rows, normal, then transient, then fault. */
    static double[][] rows;
    static TrainedForecaster trained;

    @BeforeAll
    static void train() throws IOException {
        ThreeW.Data d = ThreeW.read(Path.of("src/data/3w/2-WELL-00002_20131104014101.csv"), 3);
        MinMaxScaler scaler = MinMaxScaler.fit(d.slice(0, 500).rows(), ThreeW.SPANS);
        rows = scaler.scaleAll(d.rows());
        trained = FACTORY.train(Arrays.copyOf(rows, 500), SETTINGS);
    }

    @AfterAll
    static void close() {
        trained.forecaster().close();
    }

    @Test
    void forecastsEqualRnnTimeStepOverThousandsOfStepsAndResets() {
        assertThat(rows.length).isGreaterThan(2_500);
        Dl4jLstmForecaster f = (Dl4jLstmForecaster) trained.forecaster();
        try (Forecaster reference = f.nd4jReference()) {
            double diff = maxDifference(f, reference, rows, rows.length / 2);
            assertThat(diff).isLessThanOrEqualTo(TOLERANCE);
        }
    }

    @Test
    void forecastsEqualRnnTimeStepAfterSaveAndLoad(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("model.zip");
        FACTORY.save(trained.forecaster(), file);
        try (Dl4jLstmForecaster loaded = (Dl4jLstmForecaster) FACTORY.load(file);
             Forecaster reference = loaded.nd4jReference()) {
            assertThat(maxDifference(loaded, reference, rows, 1_000)).isLessThanOrEqualTo(TOLERANCE);
            // the stepper of the loaded network is the stepper of the saved one (same float parameters)
            double[][] original = Dl4jLstmForecasterTest.predictions(trained.forecaster(), rows);
            assertThat(Dl4jLstmForecasterTest.predictions(loaded, rows)).isDeepEqualTo(original);
        }
    }

    /** The bare network, without the differencing: arbitrary inputs, small and large, with resets. */
    @Test
    void stepperEqualsRnnTimeStepOfTheNetwork() {
        MultiLayerNetwork net = ((Dl4jLstmForecaster) trained.forecaster()).network();
        LstmStepper stepper = new LstmStepper(net);
        int n = stepper.inputs();
        Random rnd = new Random(3);
        double[] x = new double[n];
        double[] y = new double[stepper.outputs()];
        double worst = 0;
        net.rnnClearPreviousState();
        try (INDArray in = Nd4j.zeros(DataType.FLOAT, 1, n, 1)) {
            for (int t = 0; t < 1_500; t++) {
                if (t == 700) {
                    net.rnnClearPreviousState();
                    stepper.reset();
                }
                // quiet steps, and bursts of changes of up to +-0.5 scaled units (hundreds of times
                // the training changes: saturated gates)
                double amplitude = (t / 100) % 2 == 0 ? 0.002 : 0.5;
                for (int i = 0; i < n; i++) {
                    x[i] = (float) (amplitude * rnd.nextGaussian()); // exactly representable for ND4J
                    in.putScalar(0, i, 0, x[i]);
                }
                stepper.step(x, y);
                INDArray out = net.rnnTimeStep(in);
                for (int i = 0; i < y.length; i++) {
                    worst = Math.max(worst, Math.abs(out.getDouble(0, i, 0) - y[i]));
                }
                out.close();
            }
        } finally {
            net.rnnClearPreviousState();
        }
        assertThat(worst).isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void steppingAllocatesNothing() {
        var bean = ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean sun
                && sun.isThreadAllocatedMemorySupported() && sun.isThreadAllocatedMemoryEnabled());
        com.sun.management.ThreadMXBean sun = (com.sun.management.ThreadMXBean) bean;
        Forecaster f = trained.forecaster();
        double[] p = new double[f.features()];
        long thread = Thread.currentThread().getId();
        f.reset();
        for (int r = 0; r < rows.length; r++) { // warm-up (and JIT compilation)
            f.step(rows[r], p);
        }
        int steps = 0;
        long before = sun.getThreadAllocatedBytes(thread);
        for (int k = 0; k < 5; k++) {
            f.reset();
            for (int r = 0; r < rows.length; r++) {
                f.step(rows[r], p);
                steps++;
            }
        }
        long allocated = sun.getThreadAllocatedBytes(thread) - before;
        assertThat(steps).isGreaterThan(10_000);
        // nothing per step; a little slack for the measurement itself
        assertThat(allocated).isLessThan(1_024);
    }

    @Test
    void rejectsLayoutsItDoesNotCompute() {
        assertThatThrownBy(() -> new LstmStepper(network(new GravesLSTM.Builder().nIn(3).nOut(4)
                .activation(Activation.TANH).build(), Activation.IDENTITY)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GravesLSTM");
        assertThatThrownBy(() -> new LstmStepper(network(new LSTM.Builder().nIn(3).nOut(4)
                .activation(Activation.RELU).build(), Activation.IDENTITY)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("LSTM activation");
        assertThatThrownBy(() -> new LstmStepper(network(new LSTM.Builder().nIn(3).nOut(4)
                .activation(Activation.TANH).gateActivationFunction(Activation.HARDSIGMOID).build(), Activation.IDENTITY)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gate activation");
        assertThatThrownBy(() -> new LstmStepper(network(new LSTM.Builder().nIn(3).nOut(4)
                .activation(Activation.TANH).build(), Activation.TANH)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("output activation");
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Steps both forecasters through all rows from a reset, resets both at row {@code resetAt} and
     * continues; returns the largest absolute difference between their forecasts.
     */
    static double maxDifference(Forecaster a, Forecaster b, double[][] rows, int resetAt) {
        double[] pa = new double[a.features()];
        double[] pb = new double[b.features()];
        double worst = 0;
        a.reset();
        b.reset();
        for (int r = 0; r < rows.length; r++) {
            if (r == resetAt) {
                a.reset();
                b.reset();
            }
            a.step(rows[r], pa);
            b.step(rows[r], pb);
            for (int i = 0; i < pa.length; i++) {
                worst = Math.max(worst, Math.abs(pa[i] - pb[i]));
            }
        }
        return worst;
    }

    private static MultiLayerNetwork network(org.deeplearning4j.nn.conf.layers.Layer recurrent, Activation outputActivation) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(1)
                .dataType(DataType.FLOAT)
                .list()
                .layer(recurrent)
                .layer(new RnnOutputLayer.Builder(LossFunction.MEAN_ABSOLUTE_ERROR)
                        .activation(outputActivation).nIn(4).nOut(3).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
