package io.wellwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wellwatch.core.MinMaxScaler;
import io.wellwatch.core.TrainedForecaster;
import io.wellwatch.core.TrainingSettings;
import io.wellwatch.core.TrainingSettings.Trainer;
import io.wellwatch.model.Dl4jForecasterFactory;
import io.wellwatch.model.TrainingExport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Training-speed benchmark (not a unit test; run it with {@code bench/training.sh}): time to retrain
 * the default network on 500 real samples with DL4J's {@code fit}, with our plain-Java trainer, and
 * with PyTorch ({@code bench/torch_reference.py}) on exactly the same windows, minibatches, initial
 * parameters and optimiser, which this class exports to a JSON file first.
 *
 * <p>One untimed warm-up round (reported as "cold": a fresh JVM or Python process), then
 * {@code rounds} rounds, each timing one training of each of the three in turn, so that a change in
 * the machine's load hits all three alike. Prints the medians, the ratios and the training MAE each
 * reaches, and appends them to {@code bench/RESULTS.md}.
 *
 * <p>Arguments: {@code [rounds=5] [python=/usr/bin/python3]}; system property {@code bench.command}:
 * the command line to record.
 */
public final class TrainingBench {

    private static final PrintStream OUT = System.out;
    /** The detector's defaults: lookback 20, 32 units, 30 epochs, batch 32, Adam 1e-3, seed 42. */
    private static final TrainingSettings SETTINGS = new TrainingSettings(20, 32, 30, 32, 1e-3, 42);
    private static final String DATA = "src/data/3w/0-WELL-00001_20170201020207.csv";
    private static final String HEADER = "| trainer | median wall ms | median CPU ms | cold wall ms (first run) "
            + "| timed runs, wall ms | training MAE |\n|---|---|---|---|---|---|";

    private TrainingBench() {
    }

    /** Wall and process CPU times and training MAEs of one contestant; index 0 is the warm-up. */
    private record Runs(String name, List<Double> ms, List<Double> cpuMs, List<Double> mae) {
        Runs(String name) {
            this(name, new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }

        double cold() {
            return ms.get(0);
        }

        double median() {
            return medianOf(ms);
        }

        double medianCpu() {
            return medianOf(cpuMs);
        }

        private static double medianOf(List<Double> v) {
            double[] s = v.subList(1, v.size()).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }

        String timed() {
            return ms.subList(1, ms.size()).stream().map(v -> String.format(Locale.ROOT, "%.0f", v))
                    .reduce((a, b) -> a + ", " + b).orElse("");
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String python = args.length > 1 ? args[1] : "/usr/bin/python3";
        String loadBefore = loadAverage();
        String machine = String.format(Locale.ROOT, "%d cores, %s memory, JDK %s (%s), OMP_NUM_THREADS=%s, max heap %d MB",
                Runtime.getRuntime().availableProcessors(), memTotal(), System.getProperty("java.version"),
                System.getProperty("java.vm.name"), System.getenv("OMP_NUM_THREADS"), Runtime.getRuntime().maxMemory() >> 20);
        OUT.println("machine: " + machine);
        OUT.println("load average before: " + loadBefore);

        ThreeW.Data d = ThreeW.read(Path.of(DATA), 3).slice(0, 500);
        double[][] rows = MinMaxScaler.fit(d.rows(), ThreeW.SPANS).scaleAll(d.rows());
        Path export = Path.of("target/bench/training-export.json");
        Files.createDirectories(export.getParent());
        TrainingExport.write(export, rows, SETTINGS);
        OUT.printf(Locale.ROOT, "data: %s, every 3rd row, first 500 rows x %d sensors; settings %s; exported to %s%n",
                Path.of(DATA).getFileName(), rows[0].length, SETTINGS, export);

        Dl4jForecasterFactory factory = new Dl4jForecasterFactory();
        Runs dl4j = new Runs("DL4J fit");
        Runs java = new Runs("plain-Java trainer");
        Runs torch = new Runs("PyTorch reference");
        String torchVersion = "?";
        for (int r = 0; r <= rounds; r++) {
            train(factory, rows, SETTINGS.with(Trainer.DL4J), dl4j);
            train(factory, rows, SETTINGS.with(Trainer.JAVA), java);
            torchVersion = runTorch(python, export, r == 0, torch);
            OUT.printf(Locale.ROOT, "%s: wall (CPU) ms: DL4J fit %.0f (%.0f), plain-Java %.0f (%.0f), PyTorch %.0f (%.0f); load %s%n",
                    r == 0 ? "warm-up" : "round " + r, last(dl4j.ms), last(dl4j.cpuMs), last(java.ms), last(java.cpuMs),
                    last(torch.ms), last(torch.cpuMs), loadAverage());
        }
        String loadAfter = loadAverage();

        List<String> lines = new ArrayList<>();
        for (Runs x : List.of(dl4j, java, torch)) {
            lines.add(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %s | %.7f |", x.name, x.median(),
                    x.medianCpu(), x.cold(), x.timed(), x.mae.get(x.mae.size() - 1)));
        }
        String ratios = String.format(Locale.ROOT,
                "ratios of the medians, wall (CPU): DL4J fit / PyTorch = %.2f (%.2f); PyTorch / plain-Java = %.2f (%.2f), "
                        + "i.e. the plain-Java trainer is %.1fx faster than the reference; DL4J fit / plain-Java = %.1f (%.1f)",
                dl4j.median() / torch.median(), dl4j.medianCpu() / torch.medianCpu(),
                torch.median() / java.median(), torch.medianCpu() / java.medianCpu(), torch.median() / java.median(),
                dl4j.median() / java.median(), dl4j.medianCpu() / java.medianCpu());
        OUT.println();
        OUT.println(HEADER);
        lines.forEach(OUT::println);
        OUT.println(ratios);
        OUT.println("load average after: " + loadAfter);

        StringBuilder md = new StringBuilder();
        md.append("\n## Training speed: DL4J fit vs plain-Java trainer vs PyTorch (").append(
                ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z"))).append(")\n\n");
        md.append("- command: `").append(System.getProperty("bench.command", "bash bench/training.sh")).append("`\n");
        md.append("- machine: ").append(machine).append("; PyTorch ").append(torchVersion).append(", 1 thread\n");
        md.append("- load average (1/5/15 min) before: ").append(loadBefore).append("; after: ").append(loadAfter)
                .append(" (shared machine: figures are noisy)\n");
        md.append("- data: 500 rows of ").append(Path.of(DATA).getFileName()).append(" (every 3rd row), 93 windows of 40 steps, ")
                .append("30 epochs x 3 minibatches (32, 32, 29), LSTM 32 units, Adam 1e-3, the same initial parameters ")
                .append("and minibatch order for all three; ").append(rounds).append(" timed rounds after a warm-up\n\n");
        md.append(HEADER).append('\n');
        lines.forEach(l -> md.append(l).append('\n'));
        md.append("\n").append(ratios).append("\n");
        Files.writeString(Path.of("bench/RESULTS.md"), md, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        OUT.println("appended to bench/RESULTS.md");
    }

    private static void train(Dl4jForecasterFactory factory, double[][] rows, TrainingSettings s, Runs runs) {
        long c0 = processCpuNanos();
        long t0 = System.nanoTime();
        TrainedForecaster t = factory.train(rows, s);
        runs.ms.add((System.nanoTime() - t0) / 1e6);
        runs.cpuMs.add((processCpuNanos() - c0) / 1e6);
        runs.mae.add(t.trainingLoss());
        t.forecaster().close();
    }

    /** Runs the reference once (warm-up + one timed training); records the warm-up only on the first round. */
    private static String runTorch(String python, Path export, boolean keepWarmup, Runs runs) throws Exception {
        Process p = new ProcessBuilder(python, "bench/torch_reference.py", export.toString(), "1")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<JsonNode> results = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                results.add(new ObjectMapper().readTree(line));
            }
        }
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0 || results.size() != 2) {
            p.destroyForcibly();
            throw new IllegalStateException(python + " bench/torch_reference.py failed (exit "
                    + (p.isAlive() ? "timeout" : p.exitValue()) + ", " + results.size() + " results)");
        }
        JsonNode result = results.get(keepWarmup ? 0 : 1);
        runs.ms.add(result.get("ms").asDouble());
        runs.cpuMs.add(result.get("cpuMs").asDouble());
        runs.mae.add(result.get("mae").asDouble());
        return result.get("torch").asText();
    }

    /** CPU time of this JVM, all threads (ND4J's, the JIT's and the GC's included), as Python's process_time. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double last(List<Double> v) {
        return v.get(v.size() - 1);
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return String.join(" ", Arrays.copyOf(f, 3));
        } catch (IOException e) {
            return "?";
        }
    }

    private static String memTotal() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                return (Long.parseLong(line.replaceAll("\\D", "")) >> 20) + " GB";
            }
        }
        return "?";
    }
}
