package io.wellwatch.model;

import io.wellwatch.bench.ThreeW;
import io.wellwatch.core.Forecaster;
import io.wellwatch.core.MinMaxScaler;
import io.wellwatch.core.TrainedForecaster;
import io.wellwatch.core.TrainingSettings;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Design comparison, not a unit test: trains the forecaster with different training-data plans
 * (sub-sequence stride, difference-scale floor) on two real 3W files and prints training time, the
 * training MAE and the MAE on the next 1000 rows, next to the "no change" (persistence) baseline.
 * This is how the defaults (stride lookback/4, floor 1e-3) were chosen. Run with the classpath of
 * bench/scoring.sh: {@code java ... io.wellwatch.model.DesignExperiment [epochs=30]}.
 */
public final class DesignExperiment {

    private DesignExperiment() {
    }

    public static void main(String[] args) throws Exception {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        TrainingSettings s = new TrainingSettings(20, 32, epochs, 32, 1e-3, 42);
        Dl4jForecasterFactory.Plan[] plans = {
            new Dl4jForecasterFactory.Plan(40, 20, 1e-3),
            new Dl4jForecasterFactory.Plan(40, 5, 1e-3),
            new Dl4jForecasterFactory.Plan(40, 5, 1e-4),
            new Dl4jForecasterFactory.Plan(40, 2, 1e-3),
        };
        for (String file : new String[] {"0-WELL-00001_20170201020207.csv", "6-WELL-00002_20140212170333.csv"}) {
            ThreeW.Data d = ThreeW.read(Path.of("src/data/3w", file), 3);
            MinMaxScaler sc = MinMaxScaler.fit(d.slice(0, 500).rows(), ThreeW.SPANS);
            double[][] train = sc.scaleAll(d.slice(0, 500).rows());
            double[][] fresh = sc.scaleAll(d.slice(500, 1500).rows());
            System.out.printf(Locale.ROOT, "%s: persistence MAE train %.5f, fresh %.5f%n", file, persistence(train),
                    persistence(fresh));
            for (Dl4jForecasterFactory.Plan p : plans) {
                Dl4jForecasterFactory f = new Dl4jForecasterFactory(x -> p);
                long t0 = System.nanoTime();
                TrainedForecaster tf = f.train(train, s);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                System.out.printf(Locale.ROOT, "  %s: %d ms, training MAE %.5f, fresh MAE %.5f%n", p, ms,
                        tf.trainingLoss(), stepped(tf.forecaster(), fresh));
                tf.forecaster().close();
            }
        }
    }

    static double persistence(double[][] r) {
        double s = 0;
        for (int t = 0; t + 1 < r.length; t++) {
            for (int i = 0; i < r[t].length; i++) {
                s += Math.abs(r[t + 1][i] - r[t][i]);
            }
        }
        return s / ((r.length - 1.0) * r[0].length);
    }

    static double stepped(Forecaster f, double[][] r) {
        f.reset();
        double[] p = new double[r[0].length];
        double s = 0;
        for (int t = 0; t + 1 < r.length; t++) {
            f.step(r[t], p);
            for (int i = 0; i < p.length; i++) {
                s += Math.abs(r[t + 1][i] - p[i]);
            }
        }
        return s / ((r.length - 1.0) * r[0].length);
    }
}
