package io.wellwatch.model;

import io.wellwatch.core.TrainingSettings;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** Optimises the parameters of an initialised network, in place, over the given minibatches. */
interface NetworkTrainer {

    /**
     * @param minibatches window starts of each minibatch, in training order (all epochs)
     */
    void fit(MultiLayerNetwork net, TrainingWindows windows, List<int[]> minibatches, TrainingSettings settings);

    static NetworkTrainer of(TrainingSettings.Trainer kind) {
        return switch (kind) {
            case JAVA -> new JavaLstmTrainer();
            case DL4J -> new Dl4jFitTrainer();
        };
    }
}
