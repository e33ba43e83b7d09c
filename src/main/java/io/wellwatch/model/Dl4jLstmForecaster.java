package io.wellwatch.model;

import io.wellwatch.core.Forecaster;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J LSTM next-step forecaster over scaled rows, working on first differences.
 *
 * <p>The network never sees levels: at every step its input is the change of each sensor since the
 * previous row it was given (zero right after {@link #reset()}), and its output is the predicted
 * change to the next row, both in scaled units. The forecast is therefore {@code row +
 * predictedChange}, so a level shift or a slow drift, even far outside the training range, does not
 * by itself produce errors; changes in the dynamics do.
 *
 * <p>The {@code MultiLayerNetwork} is the source of truth for training, saving and loading, but
 * {@link #step} does not run it: it runs an {@link LstmStepper}, a plain-Java copy of the network's
 * parameters built in the constructor, which computes the same step as {@code rnnTimeStep} (to
 * about 1e-6 relative) without allocating anything. (One {@code rnnTimeStep} allocates ~100 KB of
 * Java heap inside ND4J, and the resulting GC pauses dominated the scoring tail latency.) The
 * network's parameters must not change after construction; {@link #nd4jReference()} gives the
 * {@code rnnTimeStep} path for comparisons.
 *
 * <p>An instance is used by one thread at a time (different instances may run concurrently, e.g.
 * one training while another scores).
 */
public final class Dl4jLstmForecaster implements Forecaster {

    private final MultiLayerNetwork net;
    private final int features;
    private final LstmStepper stepper;
    /** Network input of one step (first differences). */
    private final double[] input;
    private final double[] previous;
    private boolean hasPrevious;
    private boolean closed;

    /**
     * Wraps a trained network and copies its parameters into the stepper.
     *
     * @param net      an initialised LSTM -> RnnOutputLayer network mapping differences to differences
     * @param features its input and output width
     * @throws IllegalArgumentException if the network is not an LSTM(tanh) -> RnnOutputLayer(identity)
     *                                  network of that width
     */
    Dl4jLstmForecaster(MultiLayerNetwork net, int features) {
        this.net = net;
        this.features = features;
        this.stepper = new LstmStepper(net);
        if (stepper.inputs() != features || stepper.outputs() != features) {
            throw new IllegalArgumentException("network maps " + stepper.inputs() + " inputs to "
                    + stepper.outputs() + " outputs, expected " + features);
        }
        this.input = new double[features];
        this.previous = new double[features];
        reset();
    }

    @Override
    public int features() {
        return features;
    }

    @Override
    public void reset() {
        checkOpen();
        stepper.reset();
        hasPrevious = false;
    }

    /**
     * Feeds {@code scaledRow} and writes the predicted next scaled row into {@code predictedNext}. The
     * two arrays may be the same array. Rows must be finite: a NaN would poison the recurrent state
     * until the next {@link #reset()}, so it is rejected. Allocates nothing.
     */
    @Override
    public void step(double[] scaledRow, double[] predictedNext) {
        checkOpen();
        checkRows(scaledRow, predictedNext);
        differences(scaledRow);
        stepper.step(input, predictedNext);
        for (int i = 0; i < features; i++) {
            predictedNext[i] += previous[i];
        }
    }

    /** Validates the rows' lengths and values. */
    private void checkRows(double[] scaledRow, double[] predictedNext) {
        if (scaledRow.length != features || predictedNext.length != features) {
            throw new IllegalArgumentException("expected rows of " + features + " values, got "
                    + scaledRow.length + " in and " + predictedNext.length + " out");
        }
        for (int i = 0; i < features; i++) {
            double v = scaledRow[i];
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("non-finite value " + v + " at sensor index " + i);
            }
        }
    }

    /** input = scaledRow - previous (zero after a reset); previous = scaledRow. */
    private void differences(double[] scaledRow) {
        for (int i = 0; i < features; i++) {
            input[i] = hasPrevious ? scaledRow[i] - previous[i] : 0.0;
        }
        System.arraycopy(scaledRow, 0, previous, 0, features);
        hasPrevious = true;
    }

    /**
     * A forecaster computing the same forecasts with the network itself ({@code rnnTimeStep}, the
     * path {@link #step} replaced): for tests and benchmarks. It shares the network (and the network's
     * own recurrent state, which {@link #step} does not use) but not this forecaster's state; closing
     * it does not close the network, and it must not be used after this forecaster is closed.
     */
    public Forecaster nd4jReference() {
        checkOpen();
        return new Nd4jReference();
    }

    /** LSTM width, as configured at training time. */
    public int lstmUnits() {
        return (int) ((LSTM) net.getLayerWiseConfigurations().getConf(0).getLayer()).getNOut();
    }

    /** Number of network parameters. */
    public long parameterCount() {
        return net.numParams();
    }

    /** The underlying network; for saving by the factory. Its parameters must not be changed. */
    MultiLayerNetwork network() {
        checkOpen();
        return net;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            net.close();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("forecaster is closed");
        }
    }

    /** The forecaster as it was before the stepper: one {@code rnnTimeStep} per sample. */
    private final class Nd4jReference implements Forecaster {
        /** Network input of one step, shape [1, features, 1]; rewritten in place on every step. */
        private final INDArray in = Nd4j.zeros(DataType.FLOAT, 1, features, 1);
        private final double[] prev = new double[features];
        private boolean hasPrev;
        private boolean refClosed;

        Nd4jReference() {
            reset();
        }

        @Override
        public int features() {
            return features;
        }

        @Override
        public void reset() {
            check();
            net.rnnClearPreviousState();
            hasPrev = false;
        }

        @Override
        public void step(double[] scaledRow, double[] predictedNext) {
            check();
            checkRows(scaledRow, predictedNext);
            for (int i = 0; i < features; i++) {
                in.putScalar(0, i, 0, hasPrev ? scaledRow[i] - prev[i] : 0.0);
            }
            System.arraycopy(scaledRow, 0, prev, 0, features);
            hasPrev = true;
            INDArray out = net.rnnTimeStep(in);
            for (int i = 0; i < features; i++) {
                predictedNext[i] = prev[i] + out.getDouble(0, i, 0);
            }
            if (out.closeable()) {
                out.close(); // free the native buffer now rather than at the next GC
            }
        }

        @Override
        public void close() {
            if (!refClosed) {
                refClosed = true;
                in.close();
            }
        }

        private void check() {
            checkOpen();
            if (refClosed) {
                throw new IllegalStateException("reference forecaster is closed");
            }
        }
    }
}
