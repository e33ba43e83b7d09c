package io.wellwatch.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.wellwatch.bench.ThreeW;
import io.wellwatch.core.ContiguousRuns;
import io.wellwatch.core.MinMaxScaler;
import io.wellwatch.core.TrainedForecaster;
import io.wellwatch.core.TrainingSettings;
import io.wellwatch.core.TrainingSettings.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The plain-Java trainer against DL4J itself, on the production network and real 3W data (500 rows
 * of the normal instance, scaled as the detector scales them): the same gradients as DL4J's
 * backpropagation, the same parameters after Adam steps as DL4J's {@code fit}, and a comparable
 * training loss after a full training.
 */
class JavaLstmTrainerTest {

    private static final Logger LOG = LogManager.getLogger(JavaLstmTrainerTest.class);

    /** The detector's defaults (lookback 20, 32 units, 30 epochs, batch 32, Adam 1e-3, seed 42). */
    static final TrainingSettings DEFAULTS = new TrainingSettings(20, 32, 30, 32, 1e-3, 42);

    static double[][] rows;
    static TrainingWindows windows;
    static List<int[]> minibatches;

    @BeforeAll
    static void data() throws IOException {
        ThreeW.Data d = ThreeW.read(Path.of("src/data/3w/0-WELL-00001_20170201020207.csv"), 3).slice(0, 500);
        rows = MinMaxScaler.fit(d.rows(), ThreeW.SPANS).scaleAll(d.rows());
        windows = TrainingWindows.of(rows, Dl4jForecasterFactory.Plan.forSettings(DEFAULTS));
        minibatches = windows.minibatches(DEFAULTS.epochs(), DEFAULTS.batchSize(), DEFAULTS.seed());
    }

    @Test
    void gradientsEqualDl4jBackpropagationAtInitAndAfterTraining() {
        MultiLayerNetwork net = Dl4jForecasterFactory.newNetwork(windows.features(), DEFAULTS);
        assertGradientsEqualDl4j(net, minibatches.get(0), "initial parameters");
        // trained parameters: saturated gates, larger recurrent weights
        new Dl4jFitTrainer().fit(net, windows, minibatches.subList(0, 60), DEFAULTS);
        assertGradientsEqualDl4j(net, minibatches.get(60), "after 60 DL4J updates");
        // the short last minibatch of an epoch (93 windows = 32 + 32 + 29)
        assertThat(minibatches.get(2)).hasSize(29);
        assertGradientsEqualDl4j(net, minibatches.get(2), "29-window minibatch");
        net.close();
    }

    private static void assertGradientsEqualDl4j(MultiLayerNetwork net, int[] batch, String when) {
        INDArray[] data = Dl4jFitTrainer.dataSet(windows, batch);
        net.setInput(data[0]);
        net.setLabels(data[1]);
        net.computeGradientAndScore();
        Map<String, INDArray> theirs = net.gradient().gradientForVariable();
        double theirScore = net.score();

        LstmParameters params = LstmParameters.readFrom(net);
        LstmParameters ours = LstmParameters.shapeOf(net);
        double loss = new LstmBackprop(params, windows.length(), batch.length)
                .lossAndGradient(params, windows, batch, ours.data);

        LstmParameters expected = LstmParameters.shapeOf(net);
        for (String key : LstmParameters.KEYS) {
            expected.read(key, theirs.get(key));
            double err = relativeError(ours, expected, key);
            LOG.info("{}: gradient {} relative error {} (max |g| {})", when, key, err, maxAbs(expected, key));
            assertThat(err).as("%s: gradient %s, max |ours - DL4J| / max |DL4J|", when, key).isLessThan(1e-5);
        }
        LOG.info("{}: loss ours {} / {} windows = {}, DL4J score {}", when, loss, batch.length, loss / batch.length, theirScore);
        assertThat(loss / batch.length).as("%s: score (summed MAE per window)", when)
                .isCloseTo(theirScore, org.assertj.core.data.Percentage.withPercentage(1e-3));
        net.clear();
    }

    @Test
    void adamStepsGiveTheParametersOfDl4jFit() {
        // one full epoch (incl. the 29-window batch) and more
        assertAdamStepsEqualDl4jFit(windows, minibatches.subList(0, 5));
    }

    @Test
    void onRunsCutAtGapsAdamStepsGiveTheParametersOfDl4jFit() {
        // the same rows with gaps after rows 130, 260 and 390: both trainers see the same windows
        TrainingWindows cut = TrainingWindows.of(new ContiguousRuns(rows, new int[] {0, 130, 260, 390}),
                Dl4jForecasterFactory.Plan.forSettings(DEFAULTS));
        assertThat(cut.count()).isLessThan(windows.count());
        assertAdamStepsEqualDl4jFit(cut, cut.minibatches(DEFAULTS.epochs(), DEFAULTS.batchSize(), DEFAULTS.seed()).subList(0, 5));
    }

    private static void assertAdamStepsEqualDl4jFit(TrainingWindows windows, List<int[]> steps) {
        MultiLayerNetwork dl4j = Dl4jForecasterFactory.newNetwork(windows.features(), DEFAULTS);
        MultiLayerNetwork java = dl4j.clone();
        assertThat(java.params()).isEqualTo(dl4j.params());
        LstmParameters before = LstmParameters.readFrom(dl4j);

        new Dl4jFitTrainer().fit(dl4j, windows, steps, DEFAULTS);
        new JavaLstmTrainer().fit(java, windows, steps, DEFAULTS);

        LstmParameters theirs = LstmParameters.readFrom(dl4j);
        LstmParameters ours = LstmParameters.readFrom(java);
        double moved = 0;
        double differs = 0;
        for (int i = 0; i < ours.data.length; i++) {
            moved = Math.max(moved, Math.abs(theirs.data[i] - before.data[i]));
            differs = Math.max(differs, Math.abs(theirs.data[i] - ours.data[i]));
        }
        LOG.info("after {} Adam steps: largest parameter change {}, largest difference ours vs DL4J {}",
                steps.size(), moved, differs);
        // Adam's first steps move each parameter by about lr = 1e-3
        assertThat(moved).isGreaterThan(1e-3);
        assertThat(differs).as("max |ours - DL4J fit| over all parameters").isLessThan(1e-3 * moved);
        assertThat(java.getIterationCount()).isEqualTo(dl4j.getIterationCount()).isEqualTo(5);
        dl4j.close();
        java.close();
    }

    @Test
    void fullTrainingReachesTheTrainingLossOfDl4jFit() {
        Dl4jForecasterFactory factory = new Dl4jForecasterFactory();
        TrainedForecaster java = factory.train(rows, DEFAULTS);
        TrainedForecaster dl4j = factory.train(rows, DEFAULTS.with(Trainer.DL4J));
        LOG.info("training MAE after 30 epochs: plain-Java trainer {}, DL4J fit {}", java.trainingLoss(), dl4j.trainingLoss());
        assertThat(java.trainingLoss()).isCloseTo(dl4j.trainingLoss(), org.assertj.core.data.Percentage.withPercentage(5));
        java.forecaster().close();
        dl4j.forecaster().close();
    }

    private static double relativeError(LstmParameters ours, LstmParameters theirs, String key) {
        int from = ours.offset(key);
        int to = from + ours.rows(key) * ours.columns(key);
        double diff = 0;
        for (int i = from; i < to; i++) {
            diff = Math.max(diff, Math.abs(ours.data[i] - theirs.data[i]));
        }
        return diff / maxAbs(theirs, key);
    }

    private static double maxAbs(LstmParameters p, String key) {
        int from = p.offset(key);
        int to = from + p.rows(key) * p.columns(key);
        double max = 0;
        for (int i = from; i < to; i++) {
            max = Math.max(max, Math.abs(p.data[i]));
        }
        return max;
    }
}
