package io.wellwatch.model;

import java.util.Arrays;

/**
 * Loss and gradient of one minibatch for our network, in plain Java: forward pass of DL4J's
 * {@code LSTM} layer (no peepholes, tanh block input and cell output, sigmoid gates, zero initial
 * state; gate layout as in {@link LstmStepper}), the identity {@code RnnOutputLayer} at every time
 * step, DL4J's {@code MEAN_ABSOLUTE_ERROR} loss (per time step and window: the mean over outputs of
 * |y - label|, gradient sign(y - label) / outputs), then backpropagation through time.
 *
 * <p>The gradient is DL4J's raw one, summed over windows and time steps and not divided by the
 * minibatch size (DL4J's updater divides later; see {@link Dl4jAdam}). All arithmetic is float, like
 * ND4J's, with the activations' exponentials in double. The work arrays are allocated once for the
 * largest minibatch, so a training run allocates nothing per minibatch. One instance per thread.
 */
final class LstmBackprop {

    private final int nIn;
    private final int n;
    private final int nOut;
    private final int gates;
    private final int length;
    private final int maxBatch;

    /** Activations per [time][window]: block input, forget, output, input gate (4n). */
    private final float[] act;
    /** Cell state c(t) per [time][window] (n). */
    private final float[] cell;
    /** tanh(c(t)) per [time][window] (n). */
    private final float[] cellOut;
    /** h(t) per [time][window] (n). */
    private final float[] hidden;
    /** dLoss/dy per [time][window] (nOut). */
    private final float[] dy;
    /** Inputs per [time][window] (nIn). */
    private final float[] x;
    /** Gradient flowing into h(t-1) and c(t-1) from step t, per window (n). */
    private final float[] dhNext;
    private final float[] dcNext;
    /** Per-step scratch. */
    private final float[] z;
    private final float[] dz;
    private final float[] dh;
    private final float[] y;
    /** Recurrent weights transposed, [4n][n], for the gradient into h(t-1). */
    private final float[] rwT;

    LstmBackprop(LstmParameters shape, int length, int maxBatch) {
        this.nIn = shape.inputs;
        this.n = shape.units;
        this.nOut = shape.outputs;
        this.gates = 4 * n;
        this.length = length;
        this.maxBatch = maxBatch;
        int cells = length * maxBatch;
        this.act = new float[cells * gates];
        this.cell = new float[cells * n];
        this.cellOut = new float[cells * n];
        this.hidden = new float[cells * n];
        this.dy = new float[cells * nOut];
        this.x = new float[cells * nIn];
        this.dhNext = new float[maxBatch * n];
        this.dcNext = new float[maxBatch * n];
        this.z = new float[gates];
        this.dz = new float[gates];
        this.dh = new float[n];
        this.y = new float[nOut];
        this.rwT = new float[gates * n];
    }

    /**
     * Computes the loss of the windows starting at {@code batch} and writes its gradient with respect
     * to {@code p} into {@code grad} (same layout as {@code p.data}, overwritten).
     *
     * @return the summed loss: over windows and time steps, of the mean absolute error over outputs
     */
    double lossAndGradient(LstmParameters p, TrainingWindows windows, int[] batch, float[] grad) {
        int mb = batch.length;
        if (mb > maxBatch || windows.length() != length || windows.features() != nIn) {
            throw new IllegalArgumentException("minibatch of " + mb + " windows of " + windows.length()
                    + " steps x " + windows.features() + " does not fit " + maxBatch + " x " + length + " x " + nIn);
        }
        for (int t = 0; t < length; t++) {
            for (int m = 0; m < mb; m++) {
                int xo = (t * maxBatch + m) * nIn;
                for (int i = 0; i < nIn; i++) {
                    x[xo + i] = windows.input(batch[m], t, i);
                }
            }
        }
        double loss = forward(p, windows, batch);
        Arrays.fill(grad, 0f);
        backward(p, mb, grad);
        return loss;
    }

    private double forward(LstmParameters p, TrainingWindows windows, int[] batch) {
        final float[] d = p.data;
        final int mb = batch.length;
        double loss = 0;
        for (int t = 0; t < length; t++) {
            for (int m = 0; m < mb; m++) {
                int cellIdx = t * maxBatch + m;
                System.arraycopy(d, p.b, z, 0, gates);
                int xo = cellIdx * nIn;
                for (int i = 0; i < nIn; i++) {
                    axpy(x[xo + i], d, p.w + i * gates, z, 0, gates);
                }
                if (t > 0) {
                    int ho = ((t - 1) * maxBatch + m) * n;
                    for (int k = 0; k < n; k++) {
                        axpy(hidden[ho + k], d, p.rw + k * gates, z, 0, gates);
                    }
                }
                int ao = cellIdx * gates;
                int co = cellIdx * n;
                int prevCo = ((t - 1) * maxBatch + m) * n;
                for (int k = 0; k < n; k++) {
                    float a = tanh(z[k]);
                    float f = sigmoid(z[n + k]);
                    float o = sigmoid(z[2 * n + k]);
                    float in = sigmoid(z[3 * n + k]);
                    act[ao + k] = a;
                    act[ao + n + k] = f;
                    act[ao + 2 * n + k] = o;
                    act[ao + 3 * n + k] = in;
                    float c = in * a + (t > 0 ? f * cell[prevCo + k] : 0f);
                    float tc = tanh(c);
                    cell[co + k] = c;
                    cellOut[co + k] = tc;
                    hidden[co + k] = o * tc;
                }
                // output layer and loss
                System.arraycopy(d, p.outB, y, 0, nOut);
                for (int k = 0; k < n; k++) {
                    axpy(hidden[co + k], d, p.outW + k * nOut, y, 0, nOut);
                }
                int yo = cellIdx * nOut;
                double stepLoss = 0;
                for (int j = 0; j < nOut; j++) {
                    float e = y[j] - windows.label(batch[m], t, j);
                    stepLoss += Math.abs(e);
                    dy[yo + j] = Math.signum(e) / nOut;
                }
                loss += stepLoss / nOut;
            }
        }
        return loss;
    }

    private void backward(LstmParameters p, int mb, float[] g) {
        final float[] d = p.data;
        for (int j = 0; j < gates; j++) {
            for (int k = 0; k < n; k++) {
                rwT[j * n + k] = d[p.rw + k * gates + j];
            }
        }
        Arrays.fill(dhNext, 0, mb * n, 0f);
        Arrays.fill(dcNext, 0, mb * n, 0f);
        for (int t = length - 1; t >= 0; t--) {
            for (int m = 0; m < mb; m++) {
                int cellIdx = t * maxBatch + m;
                int co = cellIdx * n;
                int ao = cellIdx * gates;
                int yo = cellIdx * nOut;
                int sm = m * n;
                // output layer: dh = dhNext + dy W_out^T; gradients of W_out and b_out
                for (int k = 0; k < n; k++) {
                    float hk = hidden[co + k];
                    float s = dhNext[sm + k];
                    int row = p.outW + k * nOut;
                    for (int j = 0; j < nOut; j++) {
                        float dyj = dy[yo + j];
                        s += dyj * d[row + j];
                        g[row + j] += hk * dyj;
                    }
                    dh[k] = s;
                }
                for (int j = 0; j < nOut; j++) {
                    g[p.outB + j] += dy[yo + j];
                }
                // LSTM cell
                int prevCo = ((t - 1) * maxBatch + m) * n;
                for (int k = 0; k < n; k++) {
                    float a = act[ao + k];
                    float f = act[ao + n + k];
                    float o = act[ao + 2 * n + k];
                    float in = act[ao + 3 * n + k];
                    float tc = cellOut[co + k];
                    float dc = dcNext[sm + k] + dh[k] * o * (1f - tc * tc);
                    float cPrev = t > 0 ? cell[prevCo + k] : 0f;
                    dz[k] = dc * in * (1f - a * a);
                    dz[n + k] = dc * cPrev * f * (1f - f);
                    dz[2 * n + k] = dh[k] * tc * o * (1f - o);
                    dz[3 * n + k] = dc * a * in * (1f - in);
                    dcNext[sm + k] = dc * f;
                }
                axpy(1f, dz, 0, g, p.b, gates);
                int xo = cellIdx * nIn;
                for (int i = 0; i < nIn; i++) {
                    axpy(x[xo + i], dz, 0, g, p.w + i * gates, gates);
                }
                if (t > 0) {
                    int ho = ((t - 1) * maxBatch + m) * n;
                    for (int k = 0; k < n; k++) {
                        axpy(hidden[ho + k], dz, 0, g, p.rw + k * gates, gates);
                    }
                    // gradient into h(t-1): dz RW^T
                    Arrays.fill(dhNext, sm, sm + n, 0f);
                    for (int j = 0; j < gates; j++) {
                        axpy(dz[j], rwT, j * n, dhNext, sm, n);
                    }
                }
            }
        }
    }

    /** target[to..to+len) += a * source[from..from+len); skipped for a == 0 (zero inputs, the reset step). */
    private static void axpy(float a, float[] source, int from, float[] target, int to, int len) {
        if (a == 0f) {
            return;
        }
        for (int j = 0; j < len; j++) {
            target[to + j] += a * source[from + j];
        }
    }

    private static float sigmoid(float v) {
        return (float) (1.0 / (1.0 + Math.exp(-v)));
    }

    /** tanh through exp (Math.tanh is not an intrinsic and is several times slower here). */
    private static float tanh(float v) {
        return (float) (1.0 - 2.0 / (Math.exp(2.0 * v) + 1.0));
    }
}
