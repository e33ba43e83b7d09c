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
    /** Gate pre-activations of the current step and window (4n). */
    private final float[] z;
    /** Gradients of the gate pre-activations per [time][window] (4n). */
    private final float[] dz;
    /** Gradient into h(t) of the current step and window (n), and its output (nOut). */
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
        this.dz = new float[cells * gates];
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
                addRows(x, cellIdx * nIn, 1, nIn, d, p.w, gates, z, 0);
                if (t > 0) {
                    addRows(hidden, ((t - 1) * maxBatch + m) * n, 1, n, d, p.rw, gates, z, 0);
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
                // LSTM cell: gradients of the gate pre-activations, kept for the weight gradients
                int prevCo = ((t - 1) * maxBatch + m) * n;
                for (int k = 0; k < n; k++) {
                    float a = act[ao + k];
                    float f = act[ao + n + k];
                    float o = act[ao + 2 * n + k];
                    float in = act[ao + 3 * n + k];
                    float tc = cellOut[co + k];
                    float dc = dcNext[sm + k] + dh[k] * o * (1f - tc * tc);
                    float cPrev = t > 0 ? cell[prevCo + k] : 0f;
                    dz[ao + k] = dc * in * (1f - a * a);
                    dz[ao + n + k] = dc * cPrev * f * (1f - f);
                    dz[ao + 2 * n + k] = dh[k] * tc * o * (1f - o);
                    dz[ao + 3 * n + k] = dc * a * in * (1f - in);
                    dcNext[sm + k] = dc * f;
                }
                if (t > 0) {
                    // gradient into h(t-1): dz RW^T
                    Arrays.fill(dhNext, sm, sm + n, 0f);
                    addRows(dz, ao, 1, gates, rwT, 0, n, dhNext, sm);
                }
            }
        }
        // weight gradients over all time steps and windows: b += sum dz, W += x^T dz, RW += h(t-1)^T dz
        for (int t = 0; t < length; t++) {
            for (int m = 0; m < mb; m++) {
                int ao = (t * maxBatch + m) * gates;
                for (int j = 0; j < gates; j++) {
                    g[p.b + j] += dz[ao + j];
                }
            }
        }
        for (int t = 0; t < length; t++) {
            int dzFrom = t * maxBatch * gates;
            for (int i = 0; i < nIn; i++) {
                addRows(x, t * maxBatch * nIn + i, nIn, mb, dz, dzFrom, gates, g, p.w + i * gates);
            }
            if (t > 0) {
                for (int k = 0; k < n; k++) {
                    addRows(hidden, (t - 1) * maxBatch * n + k, n, mb, dz, dzFrom, gates, g, p.rw + k * gates);
                }
            }
        }
    }

    /**
     * target[to .. to+len) += sum over q < count of coef[c0 + q * cStride] * rows[r0 + q * len ..], with
     * len = rowLength: a vector-matrix product over consecutive rows. Four rows per pass, so the
     * target is loaded and stored once per four multiply-adds (the JIT vectorises the inner loops).
     */
    private static void addRows(float[] coef, int c0, int cStride, int count, float[] rows, int r0, int len,
                                float[] target, int to) {
        int q = 0;
        for (; q + 4 <= count; q += 4) {
            float a0 = coef[c0 + q * cStride];
            float a1 = coef[c0 + (q + 1) * cStride];
            float a2 = coef[c0 + (q + 2) * cStride];
            float a3 = coef[c0 + (q + 3) * cStride];
            int s0 = r0 + q * len;
            int s1 = s0 + len;
            int s2 = s1 + len;
            int s3 = s2 + len;
            for (int j = 0; j < len; j++) {
                target[to + j] += a0 * rows[s0 + j] + a1 * rows[s1 + j] + a2 * rows[s2 + j] + a3 * rows[s3 + j];
            }
        }
        for (; q < count; q++) {
            axpy(coef[c0 + q * cStride], rows, r0 + q * len, target, to, len);
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
