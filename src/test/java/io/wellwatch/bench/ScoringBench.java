package io.wellwatch.bench;

import io.wellwatch.core.Forecaster;
import io.wellwatch.core.MinMaxScaler;
import io.wellwatch.core.TrainedForecaster;
import io.wellwatch.core.TrainingSettings;
import io.wellwatch.model.Dl4jForecasterFactory;
import io.wellwatch.model.Dl4jLstmForecaster;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Training and scoring benchmark of the DL4J forecaster on real 3W data (not a unit test; run it
 * with {@code bench/scoring.sh}).
 *
 * <p>Trains with the default detector settings (lookback 20, 32 units, 30 epochs, batch 32, Adam
 * 1e-3, seed 42) on 500 rows (every 3rd row of the file) scaled with the configured spans, three
 * times; then steps the model through the following rows one sample at a time and times every
 * step, once through DL4J ({@code rnnTimeStep}, {@link Dl4jLstmForecaster#nd4jReference()}) and once
 * through the plain-Java stepper the forecaster uses, reporting latency percentiles, Java heap
 * allocated per step (ThreadMXBean) and GC activity for each. Finally, for each 3W file, trains on its first 500 (normal) rows and reports the mean
 * one-step error on the normal rows after the training window and on the faulty rows.
 *
 * <p>Arguments: {@code [steps=20000] [runs=3] [dataDir=src/data/3w]}.
 */
public final class ScoringBench {

    private static final BenchReport REPORT = new BenchReport("Scoring: training and one sample for one well (ScoringBench)");

    private ScoringBench() {
    }

    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dataDir = Path.of(args.length > 2 ? args[2] : "src/data/3w");
        TrainingSettings settings = new TrainingSettings(20, 32, 30, 32, 1e-3, 42);
        Dl4jForecasterFactory factory = new Dl4jForecasterFactory();

        REPORT.line("JVM %s, %d CPUs, max heap %d MB, OMP_NUM_THREADS=%s, load average %s",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, System.getenv("OMP_NUM_THREADS"), loadAverage());

        ThreeW.Data normal = ThreeW.read(dataDir.resolve("0-WELL-00001_20170201020207.csv"), 3);
        MinMaxScaler scaler = MinMaxScaler.fit(normal.slice(0, 500).rows(), ThreeW.SPANS);
        double[][] train = scaler.scaleAll(normal.slice(0, 500).rows());
        double[][] fresh = scaler.scaleAll(normal.slice(500, normal.size()).rows());
        REPORT.line("data: %s, %d rows x %d sensors (every 3rd row); train on 500, score %d fresh rows",
                "0-WELL-00001", normal.size(), ThreeW.SENSORS.size(), fresh.length);

        // ---- training
        double[] trainMs = new double[runs];
        double[] losses = new double[runs];
        Forecaster model = null;
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            TrainedForecaster t = factory.train(train, settings);
            trainMs[r] = (System.nanoTime() - t0) / 1e6;
            losses[r] = t.trainingLoss();
            REPORT.line("  training run %d: %.0f ms, training MAE %.6f", r + 1, trainMs[r], losses[r]);
            if (model == null) {
                model = t.forecaster();
            } else {
                t.forecaster().close();
            }
        }
        REPORT.line("train (30 epochs, 500 rows): median %.0f ms over %d runs; deterministic: %s",
                median(trainMs), runs, Arrays.stream(losses).distinct().count() == 1);

        // ---- scoring, one step per sample: the ND4J path (rnnTimeStep) and the plain-Java stepper
        int warmup = 2_000;
        Dl4jLstmForecaster dl4j = (Dl4jLstmForecaster) model;
        ScoreStats nd4j;
        try (Forecaster reference = dl4j.nd4jReference()) {
            nd4j = score("ND4J rnnTimeStep", reference, fresh, warmup, steps);
        }
        ScoreStats plain = score("plain-Java stepper", model, fresh, warmup, steps);
        REPORT.line("ratio ND4J / stepper: median %.0fx, p99 %.0fx, p99.9 %.0fx, max %.0fx, mean %.0fx",
                nd4j.median / plain.median, nd4j.p99 / plain.p99, nd4j.p999 / plain.p999, nd4j.max / plain.max,
                nd4j.mean / plain.mean);

        // ---- error on normal vs faulty real data, one model per file
        REPORT.line("one-step MAE (scaled units), model trained on the first 500 rows of each file:");
        try (var files = Files.list(dataDir)) {
            for (Path csv : files.filter(p -> p.toString().endsWith(".csv")).sorted().toList()) {
                quality(factory, settings, csv);
            }
        }
        model.close();

        long[] mem = procStatus();
        REPORT.line("memory: peak RSS (VmHWM) %d MB, RSS now %d MB, Java heap (sum of pool peaks) %d MB, JavaCPP-tracked off-heap now %d MB",
                mem[0] >> 10, mem[1] >> 10, peakHeapBytes() >> 20, offHeapBytes() >> 20);
        REPORT.append();
    }

    private static int stepOnce(Forecaster model, double[][] rows, int cursor, double[] predicted) {
        if (cursor == rows.length) {
            model.reset(); // wrapping around is a jump, not a sample-to-sample change
            cursor = 0;
        }
        model.step(rows[cursor], predicted);
        return cursor + 1;
    }

    /** Per-step figures of one scoring run, in nanoseconds. */
    private record ScoreStats(double median, double p99, double p999, double max, double mean) {
    }

    /**
     * Steps {@code model} through {@code rows} (wrapping around with a reset), {@code warmup} steps
     * untimed, then {@code steps} timed one by one; prints latency percentiles, Java heap allocated
     * per step and GC activity during the timed steps.
     */
    private static ScoreStats score(String label, Forecaster model, double[][] rows, int warmup, int steps) {
        double[] predicted = new double[rows[0].length];
        int cursor = 0;
        model.reset();
        for (int i = 0; i < warmup; i++) {
            cursor = stepOnce(model, rows, cursor, predicted);
        }
        long[] ns = new long[steps];
        GcSnapshot gcBefore = GcSnapshot.now();
        long allocBefore = threadAllocatedBytes();
        long wallStart = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            long t0 = System.nanoTime();
            cursor = stepOnce(model, rows, cursor, predicted);
            ns[i] = System.nanoTime() - t0;
        }
        long wall = System.nanoTime() - wallStart;
        long allocated = threadAllocatedBytes() - allocBefore;
        GcSnapshot gc = GcSnapshot.now().minus(gcBefore);
        Arrays.sort(ns);
        ScoreStats st = new ScoreStats(Percentiles.of(ns, 50), Percentiles.of(ns, 99), Percentiles.of(ns, 99.9), ns[ns.length - 1], (double) wall / steps);
        REPORT.line("score one step, %s (%d steps after %d warm-up): median %.4f ms, p99 %.4f ms, "
                        + "p99.9 %.4f ms, max %.3f ms, mean %.4f ms", label, steps, warmup, st.median / 1e6,
                st.p99 / 1e6, st.p999 / 1e6, st.max / 1e6, st.mean / 1e6);
        REPORT.line("  Java heap allocated per step: %s; GC during scoring: %d collections, %d ms",
                allocated < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f bytes", (double) allocated / steps),
                gc.count, gc.millis);
        return st;
    }

    private static void quality(Dl4jForecasterFactory factory, TrainingSettings settings, Path csv) throws IOException {
        ThreeW.Data d = ThreeW.read(csv, 3);
        MinMaxScaler scaler = MinMaxScaler.fit(d.slice(0, 500).rows(), ThreeW.SPANS);
        double[][] rows = scaler.scaleAll(d.rows());
        TrainedForecaster t = factory.train(Arrays.copyOf(rows, 500), settings);
        try (Forecaster f = t.forecaster()) {
            f.reset();
            double[] p = new double[rows[0].length];
            double normalSum = 0;
            double faultSum = 0;
            int normalN = 0;
            int faultN = 0;
            double worstNormalWindow = 0;
            double[] ring = new double[10];
            double ringSum = 0;
            int k = 0;
            for (int r = 0; r + 1 < rows.length; r++) {
                f.step(rows[r], p);
                double e = 0;
                for (int i = 0; i < p.length; i++) {
                    e += Math.abs(rows[r + 1][i] - p[i]);
                }
                e /= p.length;
                ringSum += e - ring[k % 10];
                ring[k % 10] = e;
                k++;
                int label = d.labels()[r + 1];
                if (r + 1 < 500) {
                    continue;
                }
                if (label == 0) {
                    normalSum += e;
                    normalN++;
                    if (k >= 10) {
                        worstNormalWindow = Math.max(worstNormalWindow, ringSum / 10);
                    }
                } else if (label > 0) {
                    faultSum += e;
                    faultN++;
                }
            }
            REPORT.line("  %-40s training %.5f | normal after training %.5f (%d rows, worst 10-row mean %.5f) | "
                            + "fault/transient %s (%d rows)", csv.getFileName(), t.trainingLoss(),
                    normalN == 0 ? Double.NaN : normalSum / normalN, normalN, worstNormalWindow,
                    faultN == 0 ? "-" : String.format(Locale.ROOT, "%.5f", faultSum / faultN), faultN);
        }
    }

    // ---------------------------------------------------------------- measurement helpers

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static long threadAllocatedBytes() {
        var bean = ManagementFactory.getThreadMXBean();
        if (bean instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported()) {
            return sun.getThreadAllocatedBytes(Thread.currentThread().getId());
        }
        return -1;
    }

    private static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static long offHeapBytes() {
        try {
            return org.bytedeco.javacpp.Pointer.totalBytes();
        } catch (Throwable e) {
            return -1;
        }
    }

    /** {VmHWM, VmRSS} in kB from /proc/self/status. */
    private static long[] procStatus() throws IOException {
        long hwm = -1;
        long rss = -1;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                hwm = Long.parseLong(line.replaceAll("\\D", ""));
            } else if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return new long[] {hwm, rss};
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    private record GcSnapshot(long count, long millis) {
        static GcSnapshot now() {
            long c = 0;
            long t = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                c += Math.max(0, gc.getCollectionCount());
                t += Math.max(0, gc.getCollectionTime());
            }
            return new GcSnapshot(c, t);
        }

        GcSnapshot minus(GcSnapshot o) {
            return new GcSnapshot(count - o.count, millis - o.millis);
        }
    }
}
