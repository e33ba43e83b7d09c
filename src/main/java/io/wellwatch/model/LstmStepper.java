package io.wellwatch.model;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Plain-Java, allocation-free single-step evaluation of a trained DL4J {@code LSTM(tanh) ->
 * RnnOutputLayer(identity)} network, equivalent to {@code MultiLayerNetwork.rnnTimeStep} with a
 * mini-batch of one.
 *
 * <p>The weights are copied once, at construction, into plain {@code double[]} arrays; the network
 * itself is not used afterwards, so a stepper must be rebuilt whenever the network's parameters
 * change (the forecaster builds one per trained or loaded network, whose parameters then never
 * change). {@link #step} then allocates nothing: the gate pre-activations go into a preallocated
 * buffer, and the hidden and cell state live in two arrays.
 *
 * <p>Parameter layout of DL4J 1.0.0-M2.1's {@code LSTM} layer ({@code LSTMParamInitializer},
 * {@code LSTMHelpers.activateHelper}, no peephole connections, unlike {@code GravesLSTM}):
 * <ul>
 *   <li>{@code W}: input weights [nIn, 4 * units]; {@code RW}: recurrent weights [units, 4 * units];
 *       {@code b}: bias [1, 4 * units];
 *   <li>the 4 * units columns are four blocks of {@code units}, in this order: block input (layer
 *       activation, here tanh), forget gate, output gate, input gate (the three gates use the
 *       layer's gate activation, sigmoid by default);
 *   <li>{@code z = x W + h(t-1) RW + b}; {@code c(t) = f * c(t-1) + i * tanh(z_a)};
 *       {@code h(t) = o * tanh(c(t))} (the cell output uses the layer activation too).
 * </ul>
 * The forget-gate bias initialisation ({@code forgetGateBiasInit}, 1.0 by default) only affects the
 * initial values of {@code b}; the trained bias is copied as it is. The {@code RnnOutputLayer} has
 * {@code W} [units, nOut] and {@code b} [1, nOut]: {@code y = h(t) W + b}, identity activation.
 *
 * <p>Arithmetic is in double on the float parameters, so results agree with ND4J's float arithmetic
 * to about 1e-6 relative, not bit for bit. One instance is used by one thread at a time.
 */
final class LstmStepper {

    private final int inputs;
    private final int units;
    private final int outputs;
    /** Input weights, row-major [inputs][4 * units]. */
    private final double[] w;
    /** Recurrent weights, row-major [units][4 * units]. */
    private final double[] rw;
    /** LSTM bias [4 * units]. */
    private final double[] b;
    /** Output weights, row-major [units][outputs]. */
    private final double[] outW;
    /** Output bias [outputs]. */
    private final double[] outB;

    /** Hidden state h(t-1), then h(t). */
    private final double[] h;
    /** Cell state c(t-1), then c(t). */
    private final double[] c;
    /** Gate pre-activations of the current step [4 * units]. */
    private final double[] z;

    /**
     * Copies the parameters of a two-layer {@code LSTM -> RnnOutputLayer} network.
     *
     * @throws IllegalArgumentException if the network has another layout or other activations than
     *                                  the ones this class computes (tanh, sigmoid gates, identity output)
     */
    LstmStepper(MultiLayerNetwork net) {
        if (net.getnLayers() != 2) {
            throw new IllegalArgumentException("expected 2 layers, found " + net.getnLayers());
        }
        Layer first = net.getLayerWiseConfigurations().getConf(0).getLayer();
        Layer last = net.getLayerWiseConfigurations().getConf(1).getLayer();
        // exact class: GravesLSTM and other subclasses have a different parameter layout
        if (first == null || first.getClass() != LSTM.class || !(last instanceof RnnOutputLayer)) {
            throw new IllegalArgumentException("expected LSTM -> RnnOutputLayer, found "
                    + (first == null ? "null" : first.getClass().getSimpleName()) + " -> "
                    + (last == null ? "null" : last.getClass().getSimpleName()));
        }
        LSTM lstm = (LSTM) first;
        RnnOutputLayer output = (RnnOutputLayer) last;
        require(lstm.getActivationFn(), ActivationTanH.class, "LSTM activation");
        require(lstm.getGateActivationFn(), ActivationSigmoid.class, "LSTM gate activation");
        require(output.getActivationFn(), ActivationIdentity.class, "output activation");

        this.inputs = Math.toIntExact(lstm.getNIn());
        this.units = Math.toIntExact(lstm.getNOut());
        this.outputs = Math.toIntExact(output.getNOut());
        if (output.getNIn() != units) {
            throw new IllegalArgumentException("output layer takes " + output.getNIn() + " inputs, LSTM gives " + units);
        }
        int gates = 4 * units;
        this.w = matrix(net.getLayer(0).getParam("W"), inputs, gates, "LSTM W");
        this.rw = matrix(net.getLayer(0).getParam("RW"), units, gates, "LSTM RW");
        this.b = vector(net.getLayer(0).getParam("b"), gates, "LSTM b");
        this.outW = matrix(net.getLayer(1).getParam("W"), units, outputs, "output W");
        INDArray ob = net.getLayer(1).getParam("b");
        this.outB = ob == null ? new double[outputs] : vector(ob, outputs, "output b");

        this.h = new double[units];
        this.c = new double[units];
        this.z = new double[gates];
    }

    int inputs() {
        return inputs;
    }

    int outputs() {
        return outputs;
    }

    /** Forgets the recurrent state (like {@code rnnClearPreviousState}). */
    void reset() {
        Arrays.fill(h, 0.0);
        Arrays.fill(c, 0.0);
    }

    /**
     * One time step: feeds {@code x} (length {@link #inputs()}) and writes the network output into
     * {@code y} (length {@link #outputs()}). No allocation; no argument checks beyond the JVM's bounds
     * checks (the caller validates).
     */
    void step(double[] x, double[] y) {
        final int n = units;
        final int g = 4 * n;
        final double[] z = this.z;
        System.arraycopy(b, 0, z, 0, g);
        // z += x W
        for (int i = 0; i < inputs; i++) {
            double xi = x[i];
            if (xi != 0.0) {
                int row = i * g;
                for (int j = 0; j < g; j++) {
                    z[j] += xi * w[row + j];
                }
            }
        }
        // z += h(t-1) RW
        for (int k = 0; k < n; k++) {
            double hk = h[k];
            if (hk != 0.0) {
                int row = k * g;
                for (int j = 0; j < g; j++) {
                    z[j] += hk * rw[row + j];
                }
            }
        }
        // blocks: [0, n) block input, [n, 2n) forget, [2n, 3n) output, [3n, 4n) input gate
        for (int k = 0; k < n; k++) {
            double a = Math.tanh(z[k]);
            double f = sigmoid(z[n + k]);
            double o = sigmoid(z[2 * n + k]);
            double in = sigmoid(z[3 * n + k]);
            double cell = f * c[k] + in * a;
            c[k] = cell;
            h[k] = o * Math.tanh(cell);
        }
        // y = h(t) W_out + b_out
        System.arraycopy(outB, 0, y, 0, outputs);
        for (int k = 0; k < n; k++) {
            double hk = h[k];
            int row = k * outputs;
            for (int j = 0; j < outputs; j++) {
                y[j] += hk * outW[row + j];
            }
        }
    }

    private static double sigmoid(double v) {
        return 1.0 / (1.0 + Math.exp(-v));
    }

    private static void require(IActivation actual, Class<? extends IActivation> expected, String what) {
        if (actual == null || actual.getClass() != expected) {
            throw new IllegalArgumentException(what + " is " + actual + ", only "
                    + expected.getSimpleName() + " is supported");
        }
    }

    /** Copies a [rows, cols] parameter (any ordering) into a row-major array. */
    private static double[] matrix(INDArray p, int rows, int cols, String what) {
        if (p == null || p.rank() != 2 || p.size(0) != rows || p.size(1) != cols) {
            throw new IllegalArgumentException(what + " has shape " + (p == null ? "null" : Arrays.toString(p.shape()))
                    + ", expected [" + rows + ", " + cols + "]");
        }
        double[] a = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int col = 0; col < cols; col++) {
                a[r * cols + col] = p.getDouble(r, col);
            }
        }
        return a;
    }

    /** Copies a vector parameter ([n] or [1, n]). */
    private static double[] vector(INDArray p, int n, String what) {
        if (p == null || p.length() != n) {
            throw new IllegalArgumentException(what + " has shape " + (p == null ? "null" : Arrays.toString(p.shape()))
                    + ", expected " + n + " values");
        }
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = p.getDouble(i);
        }
        return a;
    }
}
