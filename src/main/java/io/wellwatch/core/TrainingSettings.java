package io.wellwatch.core;

/**
 * Network and optimiser settings of one training run.
 *
 * @param trainer which implementation runs the optimisation (the network, data, minibatches and
 *                optimiser are the same for both)
 */
public record TrainingSettings(int lookback, int lstmUnits, int epochs, int batchSize, double learningRate, long seed,
                               Trainer trainer) {

    /** Who computes the gradients and the Adam steps of the DL4J network. */
    public enum Trainer {
        /** Plain-Java backpropagation through time and Adam on the network's parameters (default, fast). */
        JAVA,
        /** DL4J's own {@code MultiLayerNetwork.fit}, one call per minibatch. */
        DL4J
    }

    public TrainingSettings {
        if (trainer == null) {
            throw new IllegalArgumentException("trainer is required");
        }
    }

    /** Settings with the default trainer. */
    public TrainingSettings(int lookback, int lstmUnits, int epochs, int batchSize, double learningRate, long seed) {
        this(lookback, lstmUnits, epochs, batchSize, learningRate, seed, Trainer.JAVA);
    }

    /** The same settings with another trainer. */
    public TrainingSettings with(Trainer other) {
        return new TrainingSettings(lookback, lstmUnits, epochs, batchSize, learningRate, seed, other);
    }
}
