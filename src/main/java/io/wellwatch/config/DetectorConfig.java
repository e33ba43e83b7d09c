package io.wellwatch.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.wellwatch.core.AlarmDebouncer;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Detector settings of a well; every field has a default (see README, "Configuration reference").
 *
 * @param windowSize         normal samples kept per valve state (FIFO), default 500
 * @param retrainInterval    new normal samples of a valve state between two trainings, default 500
 * @param minTrainingSamples fewest buffered samples a training accepts (Retrain refuses below), default 100
 * @param lookback           past samples the LSTM sees to predict the next one, default 20
 * @param lstmUnits          LSTM layer width, default 32
 * @param epochs             training epochs, default 30
 * @param batchSize          training mini-batch size, default 32
 * @param learningRate       Adam learning rate, default 0.001
 * @param lossWindow         scored samples averaged into Loss, default 10
 * @param toleranceQuantile  quantile of the training losses the tolerance starts from, default 0.99
 * @param toleranceMargin    factor applied to that quantile, default 1.5
 * @param toleranceFloor     smallest tolerance, in scaled units, default 0.02
 * @param risk               risk bands on loss / tolerance
 * @param seed               random seed of the network, default 42 (reproducible training)
 * @param raiseSamples       consecutive samples above the alarm's level that raise it, default 3
 *                           (see {@link io.wellwatch.core.AlarmDebouncer})
 * @param clearSamples       consecutive samples below the alarm's level that lower it, default 5
 * @param relearnHoldoff     after an Analyzing sample, normal samples that are scored but not learned
 *                           before the window takes samples again, default 100 (the tail of an
 *                           episode is not trusted as normal)
 * @param maxToleranceGrowth a scheduled retraining whose tolerance exceeds this factor times the
 *                           tolerance in service is not put in service (its window looks abnormal;
 *                           an operator's Retrain accepts it), default 2.0
 * @param trainer            who trains the LSTM: {@code java} (plain-Java backpropagation and Adam on the
 *                           DL4J network, default, several times faster) or {@code dl4j} (DL4J's own
 *                           {@code fit}); same network, data, minibatches and optimiser
 */
public record DetectorConfig(
        int windowSize,
        int retrainInterval,
        int minTrainingSamples,
        int lookback,
        int lstmUnits,
        int epochs,
        int batchSize,
        double learningRate,
        int lossWindow,
        double toleranceQuantile,
        double toleranceMargin,
        double toleranceFloor,
        RiskBands risk,
        long seed,
        int raiseSamples,
        int clearSamples,
        int relearnHoldoff,
        double maxToleranceGrowth,
        String trainer) {

    /** Values of {@link #trainer()}. */
    public static final String TRAINER_JAVA = "java";
    public static final String TRAINER_DL4J = "dl4j";

    public static final DetectorConfig DEFAULT = new DetectorConfig(
            500, 500, 100, 20, 32, 30, 32, 1e-3, 10, 0.99, 1.5, 0.02, RiskBands.DEFAULT, 42,
            AlarmDebouncer.DEFAULT_RAISE_SAMPLES, AlarmDebouncer.DEFAULT_CLEAR_SAMPLES, 100, 2.0, TRAINER_JAVA);

    @JsonCreator
    public static DetectorConfig of(
            @JsonProperty("windowSize") Integer windowSize,
            @JsonProperty("retrainInterval") Integer retrainInterval,
            @JsonProperty("minTrainingSamples") Integer minTrainingSamples,
            @JsonProperty("lookback") Integer lookback,
            @JsonProperty("lstmUnits") Integer lstmUnits,
            @JsonProperty("epochs") Integer epochs,
            @JsonProperty("batchSize") Integer batchSize,
            @JsonProperty("learningRate") Double learningRate,
            @JsonProperty("lossWindow") Integer lossWindow,
            @JsonProperty("toleranceQuantile") Double toleranceQuantile,
            @JsonProperty("toleranceMargin") Double toleranceMargin,
            @JsonProperty("toleranceFloor") Double toleranceFloor,
            @JsonProperty("risk") RiskBands risk,
            @JsonProperty("seed") Long seed,
            @JsonProperty("raiseSamples") Integer raiseSamples,
            @JsonProperty("clearSamples") Integer clearSamples,
            @JsonProperty("relearnHoldoff") Integer relearnHoldoff,
            @JsonProperty("maxToleranceGrowth") Double maxToleranceGrowth,
            @JsonProperty("trainer") String trainer) {
        DetectorConfig d = DEFAULT;
        return new DetectorConfig(
                windowSize == null ? d.windowSize : windowSize,
                retrainInterval == null ? d.retrainInterval : retrainInterval,
                minTrainingSamples == null ? d.minTrainingSamples : minTrainingSamples,
                lookback == null ? d.lookback : lookback,
                lstmUnits == null ? d.lstmUnits : lstmUnits,
                epochs == null ? d.epochs : epochs,
                batchSize == null ? d.batchSize : batchSize,
                learningRate == null ? d.learningRate : learningRate,
                lossWindow == null ? d.lossWindow : lossWindow,
                toleranceQuantile == null ? d.toleranceQuantile : toleranceQuantile,
                toleranceMargin == null ? d.toleranceMargin : toleranceMargin,
                toleranceFloor == null ? d.toleranceFloor : toleranceFloor,
                risk == null ? d.risk : risk,
                seed == null ? d.seed : seed,
                raiseSamples == null ? d.raiseSamples : raiseSamples,
                clearSamples == null ? d.clearSamples : clearSamples,
                relearnHoldoff == null ? d.relearnHoldoff : relearnHoldoff,
                maxToleranceGrowth == null ? d.maxToleranceGrowth : maxToleranceGrowth,
                trainer == null ? d.trainer : trainer);
    }
}
