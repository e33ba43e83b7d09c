package io.wellwatch.backtest;

import io.wellwatch.config.WellConfig;
import io.wellwatch.model.Dl4jForecasterFactory;
import io.wellwatch.model.FileModelStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * The {@code backtest} command's work: reads every file first (so a bad file stops the run before
 * any training), replays the files in parallel, one per core (files are independent and each
 * replay is single-threaded, so this is as fast as the CPU allows), and writes the report
 * directory: {@code metrics.json}, {@code report.html} and one {@code <file>.timeline.csv} per file.
 */
public final class BacktestSuite {

    /** Everything a run produced, in the order the files were given. */
    public record Outcome(BacktestMetrics metrics, List<Backtest.Result> results) {
    }

    private final WellConfig well;
    private final CsvLayout layout;
    private final int threads;

    /**
     * @param well    the well whose settings are replayed; its {@code samplingPeriodMs} is the
     *                sampling period in data time
     * @param threads files replayed at once
     */
    public BacktestSuite(WellConfig well, CsvLayout layout, int threads) {
        this.well = well;
        this.layout = layout;
        this.threads = Math.max(1, threads);
    }

    public Outcome run(List<String> files, BacktestProgress progress) throws IOException, InterruptedException {
        List<Recording> recordings = new ArrayList<>();
        for (String f : files) {
            recordings.add(HistorianCsv.read(Path.of(f), f, layout, well));
        }
        Duration period = Duration.ofMillis(well.samplingPeriodMs());
        progress.start(recordings.stream().mapToLong(r -> Backtest.sampledRows(r.times(), period).length).sum());
        Dl4jForecasterFactory factory = new Dl4jForecasterFactory();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, recordings.size()), r -> {
            Thread t = new Thread(r, "backtest");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Backtest.Result>> futures = new ArrayList<>();
            for (Recording rec : recordings) {
                futures.add(pool.submit(() -> replay(rec, period, factory, progress)));
            }
            List<Backtest.Result> results = new ArrayList<>();
            for (Future<Backtest.Result> f : futures) {
                results.add(f.get());
            }
            List<String> timelines = timelineNames(files);
            List<FileMetrics> metrics = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                metrics.add(FileMetrics.of(results.get(i), well.id(), timelines.get(i)));
            }
            return new Outcome(BacktestMetrics.of(metrics), results);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("backtest failed: " + cause, cause);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Writes metrics.json, report.html and the timelines into {@code dir} (created if needed). */
    public void write(Outcome outcome, Path dir, String configName) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < outcome.results().size(); i++) {
            TimelineCsv.write(dir.resolve(outcome.metrics().files().get(i).timeline()), outcome.results().get(i));
        }
        outcome.metrics().write(dir.resolve("metrics.json"));
        HtmlReport.write(dir.resolve("report.html"), outcome.metrics(), outcome.results(), well, configName);
    }

    private Backtest.Result replay(Recording rec, Duration period, Dl4jForecasterFactory factory, BacktestProgress progress)
            throws IOException {
        // Models go to a scratch store: the backtest must not touch the server's models.
        Path models = Files.createTempDirectory("wellwatch-backtest");
        try {
            return new Backtest(well, factory, new FileModelStore(models, factory)).run(rec, period, progress::advance);
        } finally {
            try (Stream<Path> paths = Files.walk(models)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** {@code <base name without .csv>.timeline.csv}, made unique when two files share a base name. */
    static List<String> timelineNames(List<String> files) {
        Set<String> used = new HashSet<>();
        List<String> names = new ArrayList<>();
        for (String f : files) {
            String base = Path.of(f).getFileName().toString().replaceFirst("(?i)\\.csv$", "");
            String name = base + ".timeline.csv";
            for (int n = 2; !used.add(name); n++) {
                name = base + "-" + n + ".timeline.csv";
            }
            names.add(name);
        }
        return names;
    }
}
