package io.wellwatch.model;

import io.wellwatch.core.ContiguousRuns;
import io.wellwatch.core.Forecaster;
import io.wellwatch.core.ForecasterFactory;
import io.wellwatch.core.TrainedForecaster;
import io.wellwatch.core.TrainingSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Trains, saves and loads {@link Dl4jLstmForecaster}s (DL4J {@code MultiLayerNetwork}: LSTM(tanh) ->
 * RnnOutputLayer(identity, mean absolute error), Adam).
 *
 * <p>Training data: the first differences of the scaled rows within each contiguous run (never
 * across a gap), cut into overlapping sub-sequences inside one run that each start from a reset
 * state exactly as {@link Dl4jLstmForecaster#step} sees them (first input zero, then the actual
 * differences; label at every time step = the next difference), in DL4J's [miniBatch, features,
 * timeSteps] layout. Sequence length {@code max(2 * lookback, 40)}
 * (capped by the data), stride {@code max(1, lookback / 4)}. The mini-batch order is shuffled with
 * the seed, so a training run is reproducible for a given seed and data ({@link TrainingWindows}).
 *
 * <p>The optimisation runs in the {@link NetworkTrainer} the settings name: by default
 * {@link JavaLstmTrainer} (plain-Java backpropagation and DL4J's Adam on the network's own
 * parameters, several times faster), or DL4J's {@code fit}. Both start from the same seeded network
 * and see the same minibatches, and the result is a DL4J network either way.
 *
 * <p>During training the differences are divided by a per-sensor scale (their mean absolute value in
 * the training data, floored at {@value #MIN_DIFF_SCALE} scaled units), so a sensor's typical change
 * is of order one for the LSTM whatever its noise level; without this the network learns nothing
 * useful from sensors that move by 1e-4 per step. After training the scale is folded into the
 * weights (input weights divided, output weights and bias multiplied), so the saved network is a
 * plain DL4J model that maps raw scaled differences to raw scaled differences.
 *
 * <p>Saved files are DL4J model zips written by {@code ModelSerializer.writeModel(net, file, false)}
 * (no updater state).
 */
public final class Dl4jForecasterFactory implements ForecasterFactory {

    private static final Logger LOG = LogManager.getLogger(Dl4jForecasterFactory.class);

    /** Smallest difference scale (scaled units), guarding constant or quantised sensors. */
    static final double MIN_DIFF_SCALE = 1e-3;
    /** Shortest training sub-sequence. */
    static final int MIN_SEQUENCE_LENGTH = 40;

    /** How the training data is cut; package-private so experiments can vary it. */
    record Plan(int sequenceLength, int stride, double minDiffScale) {
        Plan {
            if (sequenceLength < 1 || stride < 1 || !(minDiffScale > 0)) {
                throw new IllegalArgumentException("invalid plan");
            }
        }

        static Plan forSettings(TrainingSettings s) {
            return new Plan(Math.max(2 * s.lookback(), MIN_SEQUENCE_LENGTH), Math.max(1, s.lookback() / 4), MIN_DIFF_SCALE);
        }
    }

    private final Function<TrainingSettings, Plan> planner;

    public Dl4jForecasterFactory() {
        this(Plan::forSettings);
    }

    Dl4jForecasterFactory(Function<TrainingSettings, Plan> planner) {
        this.planner = planner;
        NativeThreads.limit();
    }

    /**
     * One native thread for ND4J unless OMP_NUM_THREADS says otherwise: with its default of one
     * thread per core, ND4J spin-waits against everything else on a 2-core machine (one training
     * measured 185 s instead of 25 s, dl4j-facts.md). Training runs on its own Java thread anyway.
     */
    private static final class NativeThreads {
        private static volatile boolean done;

        static synchronized void limit() {
            if (done) {
                return;
            }
            done = true;
            String omp = System.getenv("OMP_NUM_THREADS");
            int threads = omp == null ? 1 : parseOr(omp, 1);
            org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxThreads(threads);
            org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxMasterThreads(threads);
            org.nd4j.linalg.factory.Nd4j.factory().blas().setMaxThreads(threads);
            org.apache.logging.log4j.LogManager.getLogger(Dl4jForecasterFactory.class)
                    .debug("ND4J native threads: {}", threads);
        }

        private static int parseOr(String s, int fallback) {
            try {
                return Math.max(1, Integer.parseInt(s.trim()));
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
    }

    /**
     * Trains a new forecaster on scaled rows (oldest first) and returns it with its training MAE:
     * the mean over steps and sensors of |predicted next - actual next| when the rows are stepped
     * through from a reset state, in scaled units.
     *
     * Within each contiguous run only: no change is taken and no sub-sequence or MAE step spans a gap
     * ({@link TrainingWindows}).
     *
     * @throws IllegalArgumentException when no run has {@code lookback + 2} rows, for rows of unequal
     *                                  length or non-finite values, or invalid settings
     */
    @Override
    public TrainedForecaster train(ContiguousRuns scaledRuns, TrainingSettings settings) {
        validate(settings);
        double[][] scaledRows = scaledRuns.rows();
        int n = scaledRows.length;
        if (scaledRuns.longest() < settings.lookback() + 2) {
            throw new IllegalArgumentException("training needs at least lookback + 2 = "
                    + (settings.lookback() + 2) + " rows" + (scaledRuns.count() > 1 ? " without a gap, longest run " : ", got ")
                    + scaledRuns.longest());
        }
        int f = scaledRows[0].length;
        if (f == 0) {
            throw new IllegalArgumentException("rows have no sensors");
        }
        for (int r = 0; r < n; r++) {
            double[] row = scaledRows[r];
            if (row.length != f) {
                throw new IllegalArgumentException("row " + r + " has " + row.length + " values, row 0 has " + f);
            }
            for (int i = 0; i < f; i++) {
                if (!Double.isFinite(row[i])) {
                    throw new IllegalArgumentException("row " + r + " sensor " + i + " is not finite: " + row[i]);
                }
            }
        }
        long started = System.nanoTime();
        TrainingWindows windows = TrainingWindows.of(scaledRuns, planner.apply(settings));
        MultiLayerNetwork net = newNetwork(f, settings);
        NetworkTrainer.of(settings.trainer()).fit(net, windows,
                windows.minibatches(settings.epochs(), settings.batchSize(), settings.seed()), settings);
        net.rnnClearPreviousState();
        foldScale(net, windows.scale());

        double mae = steppedMae(net, windows.differences(), windows.differenceRuns());
        if (!Double.isFinite(mae)) {
            net.close();
            throw new IllegalStateException("training diverged (training MAE " + mae + ")");
        }
        LOG.debug("Trained LSTM ({} trainer): {} rows in {} runs x {} sensors, {} sequences of {} steps, {} epochs, {} units, MAE {} in {} ms",
                settings.trainer(), n, scaledRuns.count(), f, windows.count(), windows.length(), settings.epochs(), settings.lstmUnits(), mae,
                (System.nanoTime() - started) / 1_000_000);
        return new TrainedForecaster(new Dl4jLstmForecaster(net, f), mae);
    }

    /**
     * Makes the network take and give raw differences: input weights of sensor i divided by
     * scale[i], output weights and bias of sensor j multiplied by scale[j].
     */
    private static void foldScale(MultiLayerNetwork net, double[] scale) {
        INDArray inW = net.getLayer(0).getParam("W"); // [nIn, 4 * units], a view of the parameters
        INDArray outW = net.getLayer(1).getParam("W"); // [units, nOut]
        INDArray outB = net.getLayer(1).getParam("b"); // [1, nOut]
        for (int i = 0; i < scale.length; i++) {
            inW.getRow(i).divi(scale[i]);
            outW.getColumn(i).muli(scale[i]);
            outB.putScalar(i, outB.getDouble(i) * scale[i]);
        }
    }

    /**
     * MAE of the one-step forecasts over each run of the training series from a reset state (reset
     * again at every gap, as scoring does), one forward pass per run (the same arithmetic as
     * stepping row by row).
     */
    private static double steppedMae(MultiLayerNetwork net, double[][] diff, int[] runs) {
        int f = diff[0].length;
        double sum = 0;
        for (int r = 0; r < runs.length; r++) {
            int from = runs[r];
            int steps = (r + 1 < runs.length ? runs[r + 1] : diff.length) - from;
            if (steps == 0) {
                continue;
            }
            float[] in = new float[f * steps];
            for (int i = 0; i < f; i++) {
                for (int t = 1; t < steps; t++) {
                    in[i * steps + t] = (float) diff[from + t - 1][i];
                }
            }
            try (INDArray x = Nd4j.create(in, new long[] {1, f, steps}, 'c');
                 INDArray out = net.output(x, false)) {
                for (int t = 0; t < steps; t++) {
                    for (int i = 0; i < f; i++) {
                        sum += Math.abs(out.getDouble(0, i, t) - diff[from + t][i]);
                    }
                }
            }
            net.rnnClearPreviousState();
        }
        return sum / ((double) diff.length * f);
    }

    /** A new, initialised (seeded) network of our architecture, as training starts from it. */
    static MultiLayerNetwork newNetwork(int features, TrainingSettings settings) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(features, settings));
        net.init();
        return net;
    }

    private static MultiLayerConfiguration configuration(int features, TrainingSettings s) {
        return new NeuralNetConfiguration.Builder()
                .seed(s.seed())
                .dataType(DataType.FLOAT)
                .updater(new Adam(s.learningRate()))
                .weightInit(WeightInit.XAVIER)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .list()
                .layer(new LSTM.Builder().nIn(features).nOut(s.lstmUnits()).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MEAN_ABSOLUTE_ERROR)
                        .activation(Activation.IDENTITY).nIn(s.lstmUnits()).nOut(features).build())
                .build();
    }

    private static void validate(TrainingSettings s) {
        if (s.lookback() < 1 || s.lstmUnits() < 1 || s.epochs() < 0 || s.batchSize() < 1
                || !(s.learningRate() > 0) || !Double.isFinite(s.learningRate())) {
            throw new IllegalArgumentException("invalid training settings: " + s);
        }
    }

    /** Writes the network, without updater state, as a DL4J model zip. */
    @Override
    public void save(Forecaster forecaster, Path file) throws IOException {
        if (!(forecaster instanceof Dl4jLstmForecaster dl4j)) {
            throw new IllegalArgumentException("not a DL4J forecaster: " + forecaster.getClass().getName());
        }
        try {
            ModelSerializer.writeModel(dl4j.network(), file.toFile(), false);
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IOException("cannot write model to " + file + ": " + e, e);
        }
    }

    /**
     * Reads a forecaster written by {@link #save}. Any failure (missing, truncated or foreign file,
     * unexpected network shape, non-finite parameters) is an IOException; a broken model is never
     * returned.
     */
    @Override
    public Forecaster load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no model file at " + file);
        }
        MultiLayerNetwork net;
        try {
            net = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
        } catch (IOException e) {
            throw new IOException("cannot read model " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException | LinkageError | OutOfMemoryError e) {
            // DL4J reports damaged zips and JSON as assorted runtime exceptions
            throw new IOException("cannot read model " + file + ": " + e, e);
        }
        if (net == null) {
            throw new IOException("no network in " + file);
        }
        try {
            return wrap(net, file);
        } catch (IOException | RuntimeException e) {
            net.close();
            throw e instanceof IOException io ? io : new IOException("invalid model " + file + ": " + e, e);
        }
    }

    private static Forecaster wrap(MultiLayerNetwork net, Path file) throws IOException {
        if (net.getnLayers() != 2) {
            throw new IOException("expected 2 layers in " + file + ", found " + net.getnLayers());
        }
        Layer first = net.getLayerWiseConfigurations().getConf(0).getLayer();
        Layer last = net.getLayerWiseConfigurations().getConf(1).getLayer();
        if (!(first instanceof LSTM lstm) || !(last instanceof RnnOutputLayer output)) {
            throw new IOException("unexpected network layout in " + file + ": "
                    + first.getClass().getSimpleName() + " -> " + last.getClass().getSimpleName());
        }
        long features = lstm.getNIn();
        if (output.getNOut() != features) {
            throw new IOException("network in " + file + " maps " + features + " inputs to " + output.getNOut() + " outputs");
        }
        INDArray params = net.params();
        if (params == null || params.isEmpty()) {
            throw new IOException("no parameters in " + file);
        }
        double meanAbs = params.ameanNumber().doubleValue();
        if (!Double.isFinite(meanAbs)) {
            throw new IOException("non-finite parameters in " + file);
        }
        if (features < 1) {
            throw new IOException("invalid input width " + features + " in " + file);
        }
        return new Dl4jLstmForecaster(net, (int) features);
    }
}
