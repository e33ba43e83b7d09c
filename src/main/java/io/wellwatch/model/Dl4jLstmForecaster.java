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
 * <p>{@link #step} runs one {@code rnnTimeStep} of the network on a preallocated input array and
 * keeps the recurrent state between calls. An instance is used by one thread at a time (different
 * instances may run concurrently, e.g. one training while another scores).
 */
public final class Dl4jLstmForecaster implements Forecaster {

    private final MultiLayerNetwork net;
    private final int features;
    /** Network input of one step, shape [1, features, 1]; rewritten in place on every step. */
    private final INDArray input;
    private final double[] previous;
    private boolean hasPrevious;
    private boolean closed;

    /**
     * Wraps a trained network.
     *
     * @param net      an initialised LSTM -> RnnOutputLayer network mapping differences to differences
     * @param features its input and output width
     */
    Dl4jLstmForecaster(MultiLayerNetwork net, int features) {
        this.net = net;
        this.features = features;
        this.input = Nd4j.zeros(DataType.FLOAT, 1, features, 1);
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
        net.rnnClearPreviousState();
        hasPrevious = false;
    }

    /**
     * Feeds {@code scaledRow} and writes the predicted next scaled row into {@code predictedNext}. The
     * two arrays may be the same array. Rows must be finite: a NaN would poison the recurrent state
     * until the next {@link #reset()}, so it is rejected.
     */
    @Override
    public void step(double[] scaledRow, double[] predictedNext) {
        checkOpen();
        if (scaledRow.length != features || predictedNext.length != features) {
            throw new IllegalArgumentException("expected rows of " + features + " values, got "
                    + scaledRow.length + " in and " + predictedNext.length + " out");
        }
        for (int i = 0; i < features; i++) {
            double v = scaledRow[i];
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("non-finite value " + v + " at sensor index " + i);
            }
            double d = hasPrevious ? v - previous[i] : 0.0;
            input.putScalar(0, i, 0, d);
        }
        System.arraycopy(scaledRow, 0, previous, 0, features);
        hasPrevious = true;
        INDArray out = net.rnnTimeStep(input);
        for (int i = 0; i < features; i++) {
            predictedNext[i] = previous[i] + out.getDouble(0, i, 0);
        }
        if (out.closeable()) {
            out.close(); // free the native buffer now rather than at the next GC
        }
    }

    /** LSTM width, as configured at training time. */
    public int lstmUnits() {
        return (int) ((LSTM) net.getLayerWiseConfigurations().getConf(0).getLayer()).getNOut();
    }

    /** Number of network parameters. */
    public long parameterCount() {
        return net.numParams();
    }

    /** The underlying network; for saving by the factory. */
    MultiLayerNetwork network() {
        checkOpen();
        return net;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            net.close();
            input.close();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("forecaster is closed");
        }
    }
}
