package io.wellwatch.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wellwatch.core.TrainingSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Writes one training run's exact inputs as JSON for another framework (the benchmark's PyTorch
 * reference, {@code bench/torch_reference.py}): the normalised difference series, the window starts,
 * every minibatch of every epoch in order, the initial parameters of the seeded DL4J network
 * (row-major, DL4J's names and gate order), the per-sensor scale and raw differences for the final
 * training MAE with the start of each contiguous run, and the settings. Not a test.
 */
public final class TrainingExport {

    private TrainingExport() {
    }

    /** Writes the run the factory would do for {@code scaledRows} and {@code settings} into {@code file}. */
    public static void write(Path file, double[][] scaledRows, TrainingSettings settings) throws IOException {
        TrainingWindows w = TrainingWindows.of(scaledRows, Dl4jForecasterFactory.Plan.forSettings(settings));
        List<int[]> minibatches = w.minibatches(settings.epochs(), settings.batchSize(), settings.seed());
        int steps = w.differences().length;
        float[][] series = new float[steps][];
        for (int t = 0; t < steps; t++) {
            series[t] = new float[w.features()];
            for (int i = 0; i < w.features(); i++) {
                series[t][i] = w.label(0, t, i); // z[t]
            }
        }
        Map<String, Object> params = new LinkedHashMap<>();
        MultiLayerNetwork net = Dl4jForecasterFactory.newNetwork(w.features(), settings);
        try {
            LstmParameters p = LstmParameters.readFrom(net);
            for (String key : LstmParameters.KEYS) {
                float[] values = Arrays.copyOfRange(p.data, p.offset(key), p.offset(key) + p.rows(key) * p.columns(key));
                params.put(key, Map.of("shape", new int[] {p.rows(key), p.columns(key)}, "values", values));
            }
        } finally {
            net.close();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("features", w.features());
        out.put("units", settings.lstmUnits());
        out.put("length", w.length());
        out.put("epochs", settings.epochs());
        out.put("batchSize", settings.batchSize());
        out.put("learningRate", settings.learningRate());
        out.put("gateOrder", "DL4J column blocks of W, RW, b: block input (tanh), forget, output, input gate");
        out.put("series", series);
        out.put("starts", w.starts());
        out.put("minibatches", minibatches);
        out.put("parameters", params);
        out.put("scale", w.scale());
        out.put("differences", w.differences());
        out.put("runs", w.differenceRuns()); // where each run of the series begins: the MAE resets there
        new ObjectMapper().writeValue(file.toFile(), out);
    }
}
