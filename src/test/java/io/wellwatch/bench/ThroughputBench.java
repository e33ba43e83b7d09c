package io.wellwatch.bench;

import io.wellwatch.config.AppConfig;
import io.wellwatch.config.WellConfig;
import io.wellwatch.core.Assessment;
import io.wellwatch.core.DetectorListener;
import io.wellwatch.core.ModelTrained;
import io.wellwatch.core.RawSample;
import io.wellwatch.core.WellDetector;
import io.wellwatch.model.Dl4jForecasterFactory;
import io.wellwatch.model.FileModelStore;
import io.wellwatch.sim.ThreeWCsv;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Scoring throughput of many wells on this machine, with and without a DL4J training running in
 * the background (not a unit test; run it with {@code bench/throughput.sh}).
 *
 * <p>N real {@link WellDetector}s, each with its own model loaded from a real {@link FileModelStore},
 * get the rows of the shipped normal 3W instance as fast as the scoring threads can hand them
 * over (round robin over the wells, each well at its own offset in the file): validation,
 * valve-state key, scaling, the LSTM step, loss, risk, the training window. The listener counts
 * only, so this is the detector's throughput without OPC UA (the capacity benchmark has the
 * whole pipeline). The scoring wells' {@code retrainInterval} is set out of reach so that they
 * never train themselves; instead a separate well trains again and again on its own
 * single training thread (as {@code WellWatchApp} runs trainings), a real DL4J training of 500
 * samples each time, while the scoring threads run.
 *
 * <p>Arguments: {@code [wells=100] [secondsPerPhase=20] [threads=1,2]}.
 */
public final class ThroughputBench {

    private static final int ROWS = 3000;

    private ThroughputBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int[] threadCounts = Arrays.stream((args.length > 2 ? args[2] : "1,2").split(","))
                .mapToInt(Integer::parseInt).toArray();

        BenchReport report = new BenchReport("Scoring throughput of N wells, with and without background training (ThroughputBench)");
        Path work = Files.createTempDirectory("wellwatch-throughput");
        // Wells 1..n score; well n+1 trains in the background.
        AppConfig config = BenchWells.parse(BenchWells.yaml(n + 1, "opc.tcp://127.0.0.1:1/unused", 4840,
                work.resolve("models"), null, 1000, 1_000_000));
        List<WellConfig> scoring = config.wells().subList(0, n);
        WellConfig trainerWell = config.wells().get(n);
        ThreeWCsv csv = ThreeWCsv.read(BenchWells.NORMAL_CSV);
        long seedMs = BenchWells.seedModels(scoring, work.resolve("models"), csv);
        report.line("wells: %d scoring (own model each, default detector settings, retrainInterval out of reach), "
                + "1 training in the background; data %s at 1 row per sample; %d s per phase", n,
                BenchWells.NORMAL_CSV.getFileName(), seconds);
        report.line("seed model: %s, saved for every well",
                seedMs > 0 ? "one real training in " + seedMs + " ms" : "reused from an earlier run (target/bench-seed-model)");

        Dl4jForecasterFactory factory = new Dl4jForecasterFactory();
        FileModelStore store = new FileModelStore(work.resolve("models"), factory);
        ExecutorService training = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "bench-training");
            t.setDaemon(true);
            t.setPriority(Thread.NORM_PRIORITY - 1); // as WellWatchApp's training thread
            return t;
        });
        DetectorListener counting = new DetectorListener() {
            @Override
            public void onAssessment(Assessment a) {
            }
        };
        List<WellDetector> detectors = new ArrayList<>();
        for (WellConfig w : scoring) {
            detectors.add(new WellDetector(w, factory, store, training, counting, Clock.systemUTC()));
        }
        RawSample[] rows = BenchWells.samples(csv, ROWS, scoring.get(0));

        Trainer trainer = new Trainer(trainerWell, factory, store, training, csv);

        run(detectors, rows, 1, 5); // JIT warm-up, not reported
        List<Phase> phases = new ArrayList<>();
        for (int threads : threadCounts) {
            phases.add(run(detectors, rows, threads, seconds).named("idle", threads, 0));
        }
        trainer.start();
        for (int threads : threadCounts) {
            int before = trainer.completed();
            Phase p = run(detectors, rows, threads, seconds);
            phases.add(p.named("training in background", threads, trainer.completed() - before));
            p.trainingAtEnd = trainer.isTraining();
        }
        trainer.stop();
        for (Phase p : phases) {
            report.line("%s", p.describe());
        }
        for (int threads : threadCounts) {
            Phase idle = phases.stream().filter(p -> p.threads == threads && p.label.equals("idle")).findFirst().orElseThrow();
            Phase busy = phases.stream().filter(p -> p.threads == threads && !p.label.equals("idle")).findFirst().orElseThrow();
            report.line("ratio with / without background training, %d scoring thread(s): throughput %.2f, median latency %.2f, p99 %.2f",
                    threads, busy.perSecond / idle.perSecond, busy.p50us / idle.p50us, busy.p99us / idle.p99us);
        }
        report.line("trainings in the background: %d completed, durations %s ms", trainer.completed(), trainer.durations());
        report.line("=> the detector alone (no OPC UA) scores ~%,.0f samples/s on one thread while a training runs,"
                + " i.e. that many wells at 1 Hz", phases.stream()
                .filter(p -> p.threads == 1 && !p.label.equals("idle")).mapToDouble(p -> p.perSecond).max().orElse(0));
        training.shutdownNow();
        report.append();
        BenchWells.deleteTree(work);
    }

    /** Scores for {@code seconds} with {@code threads} threads, each owning a slice of the wells. */
    private static Phase run(List<WellDetector> detectors, RawSample[] rows, int threads, int seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<long[]> latencies = new ArrayList<>();
        long[] counts = new long[threads];
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int slice = t;
            long[] lat = new long[4_000_000];
            latencies.add(lat);
            Thread w = new Thread(() -> {
                List<WellDetector> mine = new ArrayList<>();
                for (int i = slice; i < detectors.size(); i += threads) {
                    mine.add(detectors.get(i));
                }
                int[] cursor = new int[mine.size()];
                for (int i = 0; i < cursor.length; i++) {
                    cursor[i] = (i * 37) % rows.length; // each well at its own place in the file
                }
                long done = 0;
                while (System.nanoTime() < deadline) {
                    for (int i = 0; i < mine.size(); i++) {
                        long t0 = System.nanoTime();
                        mine.get(i).onSample(rows[cursor[i]]);
                        long dt = System.nanoTime() - t0;
                        if (done < lat.length) {
                            lat[(int) done] = dt;
                        }
                        done++;
                        cursor[i] = cursor[i] + 1 == rows.length ? 0 : cursor[i] + 1;
                    }
                }
                counts[slice] = done;
            }, "bench-scoring-" + t);
            workers.add(w);
        }
        long start = System.nanoTime();
        workers.forEach(Thread::start);
        for (Thread w : workers) {
            w.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long total = Arrays.stream(counts).sum();
        long[] all = new long[(int) Math.min(Integer.MAX_VALUE - 8, Arrays.stream(counts).map(c -> Math.min(c, 4_000_000)).sum())];
        int k = 0;
        for (int t = 0; t < threads; t++) {
            int c = (int) Math.min(counts[t], 4_000_000);
            System.arraycopy(latencies.get(t), 0, all, k, c);
            k += c;
        }
        Arrays.sort(all);
        return new Phase(total / elapsed, total, Percentiles.of(all, 50) / 1e3, Percentiles.of(all, 99) / 1e3, Percentiles.of(all, 99.9) / 1e3);
    }

    private static final class Phase {
        final double perSecond;
        final long samples;
        final double p50us;
        final double p99us;
        final double p999us;
        String label = "";
        int threads;
        int trainings;
        boolean trainingAtEnd;

        Phase(double perSecond, long samples, double p50us, double p99us, double p999us) {
            this.perSecond = perSecond;
            this.samples = samples;
            this.p50us = p50us;
            this.p99us = p99us;
            this.p999us = p999us;
        }

        Phase named(String label, int threads, int trainings) {
            this.label = label;
            this.threads = threads;
            this.trainings = trainings;
            return this;
        }

        String describe() {
            return String.format(java.util.Locale.ROOT,
                    "%-24s %d scoring thread(s): %,.0f samples/s (%,d samples)%s; per sample median %.1f us, p99 %.1f us, p99.9 %.1f us",
                    label, threads, perSecond, samples, label.equals("idle") ? "" : "; " + trainings + " training(s) ended in the phase, one running at its end: " + trainingAtEnd,
                    p50us, p99us, p999us);
        }
    }

    /** A well that retrains again and again on the shared single training thread. */
    private static final class Trainer {
        private final WellDetector detector;
        private final ConcurrentLinkedQueue<Long> durationsMs = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean running = new AtomicBoolean();
        private volatile long requestedAt;
        private Thread loop;

        Trainer(WellConfig well, Dl4jForecasterFactory factory, FileModelStore store, ExecutorService training,
                ThreeWCsv csv) {
            this.detector = new WellDetector(well, factory, store, training, new DetectorListener() {
                @Override
                public void onAssessment(Assessment a) {
                }

                @Override
                public void onModelTrained(ModelTrained e) {
                    durationsMs.add((System.nanoTime() - requestedAt) / 1_000_000);
                }
            }, Clock.systemUTC());
            // Fill its window: 500 samples (no model yet, so every valid sample is learned; its
            // retrainInterval is out of reach, so only requestRetrain starts its trainings).
            for (int i = 0; i < 500; i++) {
                detector.onSample(BenchWells.sample(csv, i, well));
            }
        }

        void start() {
            running.set(true);
            loop = new Thread(() -> {
                while (running.get()) {
                    if (!detector.status().training()) {
                        requestedAt = System.nanoTime();
                        detector.requestRetrain();
                    }
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-retrain-loop");
            loop.setDaemon(true);
            loop.start();
            // Wait until the first training is running, so every measured phase has one.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!detector.status().training() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            loop.join();
            detector.close();
        }

        boolean isTraining() {
            return detector.status().training();
        }

        int completed() {
            return durationsMs.size();
        }

        String durations() {
            return durationsMs.toString();
        }
    }
}
