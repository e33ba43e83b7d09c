package io.wellwatch.model;

import io.wellwatch.core.TrainingSettings;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Trains the DL4J network's own parameters in plain Java: reads them from the network, runs
 * {@link LstmBackprop} and {@link Dl4jAdam} on every minibatch, writes them back. The result is the
 * same DL4J network DL4J's {@code fit} would train (same initial parameters, minibatches, gradients
 * and Adam arithmetic, up to float rounding), without DL4J's per-operation native overhead: a
 * minibatch of the default network is ~2 * 10^7 multiply-adds, about 10 ms of plain loops, where
 * DL4J's {@code fit} makes hundreds of small native calls.
 */
final class JavaLstmTrainer implements NetworkTrainer {

    @Override
    public void fit(MultiLayerNetwork net, TrainingWindows windows, List<int[]> minibatches, TrainingSettings settings) {
        LstmParameters params = LstmParameters.readFrom(net);
        int largest = minibatches.stream().mapToInt(b -> b.length).max().orElse(0);
        if (largest == 0) {
            return;
        }
        LstmBackprop backprop = new LstmBackprop(params, windows.length(), largest);
        Dl4jAdam adam = new Dl4jAdam(settings.learningRate(), params.data.length);
        float[] grad = new float[params.data.length];
        int iteration = net.getIterationCount();
        for (int[] batch : minibatches) {
            backprop.lossAndGradient(params, windows, batch, grad);
            adam.step(params.data, grad, iteration++, batch.length);
        }
        params.writeTo(net);
        net.setIterationCount(iteration);
    }
}
