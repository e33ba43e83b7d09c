package io.wellwatch.model;

/**
 * Adam exactly as DL4J 1.0.0-M2.1 applies it to a {@code MultiLayerNetwork} with
 * {@code .updater(new Adam(lr))} and the defaults beta1 0.9, beta2 0.999, epsilon 1e-8, in float:
 * <pre>
 *   g = summed minibatch gradient / minibatchSize
 *   m = beta1 m + (1 - beta1) g;   v = beta2 v + (1 - beta2) g^2
 *   alpha_t = lr sqrt(1 - beta2^(t+1)) / (1 - beta1^(t+1))      (t = iterations done so far)
 *   param -= alpha_t m / (sqrt(v) + epsilon)
 * </pre>
 * DL4J's {@code BaseMultiLayerUpdater} divides the summed gradient by the minibatch size (number of
 * windows, not time steps) before the updater; epsilon is added to sqrt(v) with the bias corrections
 * folded into alpha_t, where PyTorch's Adam adds it to the bias-corrected sqrt(v), a difference of
 * order epsilon.
 */
final class Dl4jAdam {

    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final float EPSILON = 1e-8f;

    private final float learningRate;
    private final float[] m;
    private final float[] v;

    Dl4jAdam(double learningRate, int parameters) {
        this.learningRate = (float) learningRate;
        this.m = new float[parameters];
        this.v = new float[parameters];
    }

    /**
     * One update of {@code params} from the summed minibatch gradient {@code grad} (not modified).
     *
     * @param iteration updates already done (DL4J's iteration count)
     */
    void step(float[] params, float[] grad, int iteration, int minibatchSize) {
        float beta1T = (float) Math.pow(BETA1, iteration + 1);
        float beta2T = (float) Math.pow(BETA2, iteration + 1);
        float alphaT = (float) (learningRate * Math.sqrt(1f - beta2T) / (1f - beta1T));
        if (!Float.isFinite(alphaT) || alphaT == 0f) {
            alphaT = EPSILON; // as DL4J does
        }
        float examples = minibatchSize;
        for (int i = 0; i < params.length; i++) {
            float gi = grad[i] / examples;
            float mi = BETA1 * m[i] + gi * (1f - BETA1);
            float vi = BETA2 * v[i] + gi * gi * (1f - BETA2);
            m[i] = mi;
            v[i] = vi;
            params[i] -= (mi * alphaT) / ((float) Math.sqrt(vi) + EPSILON);
        }
    }
}
