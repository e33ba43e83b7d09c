package io.wellwatch.model;

import io.wellwatch.bench.ThreeW;
import io.wellwatch.core.Forecaster;
import io.wellwatch.core.MinMaxScaler;
import io.wellwatch.core.TrainedForecaster;
import io.wellwatch.core.TrainingSettings;
import java.nio.file.Path;

public class DesignExperiment {
    public static void main(String[] a) throws Exception {
        ThreeW.Data d0 = ThreeW.read(Path.of("data/3w/0-WELL-00001_20170201020207.csv"), 3);
        ThreeW.Data d6 = ThreeW.read(Path.of("data/3w/6-WELL-00002_20140212170333.csv"), 3);
        TrainingSettings s = new TrainingSettings(20, 32, Integer.parseInt(a[0]), 32, 1e-3, 42);
        Dl4jForecasterFactory.Plan[] plans = {
            new Dl4jForecasterFactory.Plan(40, 5, 1e-3),
            new Dl4jForecasterFactory.Plan(40, 5, 1e-4),
            new Dl4jForecasterFactory.Plan(40, 5, 1e-5),
        };
        for (ThreeW.Data d : new ThreeW.Data[] {d0, d6}) {
            double[][] train = d.slice(0, 500).rows();
            MinMaxScaler sc = MinMaxScaler.fit(train, ThreeW.SPANS);
            double[][] tr = sc.scaleAll(train);
            double[][] fresh = sc.scaleAll(d.slice(500, 1500).rows());
            for (int i = 0; i < tr[0].length; i++) { double m = 0; for (int t = 1; t < tr.length; t++) m += Math.abs(tr[t][i]-tr[t-1][i]); System.out.printf("%s %.6f  ", ThreeW.SENSORS.get(i), m/(tr.length-1)); }
            System.out.println();
            System.out.printf("persistence: train %.5f fresh %.5f%n", persist(tr), persist(fresh));
            for (Dl4jForecasterFactory.Plan p : plans) {
                Dl4jForecasterFactory f = new Dl4jForecasterFactory(x -> p);
                long t0 = System.nanoTime();
                TrainedForecaster tf = f.train(tr, s);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                System.out.printf("%s: %d ms, train MAE %.5f (stepped %.5f), fresh %.5f%n", p, ms, tf.trainingLoss(),
                        step(tf.forecaster(), tr), step(tf.forecaster(), fresh));
            }
            if (d == d6) {
                // fault region
                int from = 0;
                for (int i = 0; i < d.size(); i++) if (d.labels()[i] == 106) { from = i; break; }
                double[][] fault = sc.scaleAll(d.slice(from, Math.min(from + 1000, d.size())).rows());
                System.out.printf("fault from %d: persistence %.5f%n", from, persist(fault));
            }
        }
    }

    static double persist(double[][] r) {
        double s = 0;
        for (int t = 0; t + 1 < r.length; t++) for (int i = 0; i < r[t].length; i++) s += Math.abs(r[t + 1][i] - r[t][i]);
        return s / ((r.length - 1.0) * r[0].length);
    }

    static double step(Forecaster f, double[][] r) {
        f.reset();
        double[] p = new double[r[0].length];
        double s = 0;
        for (int t = 0; t + 1 < r.length; t++) {
            f.step(r[t], p);
            for (int i = 0; i < p.length; i++) s += Math.abs(r[t + 1][i] - p[i]);
        }
        return s / ((r.length - 1.0) * r[0].length);
    }
}
