package io.wellwatch.model;

import io.wellwatch.core.TrainingSettings;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** DL4J's own training: one {@code MultiLayerNetwork.fit} per minibatch. */
final class Dl4jFitTrainer implements NetworkTrainer {

    @Override
    public void fit(MultiLayerNetwork net, TrainingWindows windows, List<int[]> minibatches, TrainingSettings settings) {
        for (int[] batch : minibatches) {
            INDArray[] arrays = dataSet(windows, batch);
            try (INDArray features = arrays[0]; INDArray labels = arrays[1]) {
                net.fit(new DataSet(features, labels));
            }
        }
    }

    /** Inputs and labels of one minibatch as DL4J arrays [windows, features, time steps]. */
    static INDArray[] dataSet(TrainingWindows windows, int[] batch) {
        float[][] arrays = windows.dl4jArrays(batch);
        long[] shape = {batch.length, windows.features(), windows.length()};
        return new INDArray[] {Nd4j.create(arrays[0], shape, 'c'), Nd4j.create(arrays[1], shape, 'c')};
    }
}
