package io.wellwatch.interop;

import io.wellwatch.app.WellWatchApp;
import io.wellwatch.config.AppConfig;
import io.wellwatch.config.ConfigLoader;
import io.wellwatch.config.DetectorConfig;
import io.wellwatch.config.DetectorSettings;
import io.wellwatch.config.ServerConfig;
import io.wellwatch.config.SimWellConfig;
import io.wellwatch.config.SimulatorConfig;
import io.wellwatch.config.StorageConfig;
import io.wellwatch.config.WellConfig;
import io.wellwatch.core.WellStatus;
import io.wellwatch.sim.PlcSimulator;
import io.wellwatch.sim.ThreeWCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * WellWatch checked by a client we did not write: node-opcua (pinned in
 * {@code src/test/node/interop/package-lock.json}) runs {@code interop.mjs} against the real
 * server while the simulated PLC replays the shipped 3W instance of a spurious DHSV closure and
 * the real DL4J detector learns it. The script prints one PASS/FAIL line per check and exits 1 on
 * any FAIL, which fails this test.
 *
 * <p>The script drives the replay through a line protocol: it prints {@code NEED <phase>} and
 * waits for {@code OK <phase>} on its stdin. The replay stays paused until the script has
 * subscribed, so it sees the first training's ModelRetrained event.
 *
 * <p>Needs Node.js 20 and npm; {@code npm ci} installs the pinned packages into
 * {@code src/test/node/interop/node_modules} on the first run.
 */
class NodeOpcuaInteropTest {

    private static final String WELL = "WELL-00002";
    private static final Path CSV = Path.of("src/data/3w/2-WELL-00002_20131104014101.csv");
    private static final Path NODE_PROJECT = Path.of("src/test/node/interop");
    /** 3 s of data per sample every 30 ms. */
    private static final double SPEED_UP = 100;
    /** Small but real: a DL4J LSTM trained on 250 samples of the normal part. */
    private static final DetectorConfig DETECTOR = DetectorSettings.of(
            "{windowSize: 250, retrainInterval: 250, minTrainingSamples: 100, epochs: 12}");
    /**
     * The alarm checks of interop.mjs (Retrain, AnomalyAlarm, Acknowledge, ConditionRefresh) run by
     * default; {@code -Dwellwatch.interop.alarms=false} skips them when debugging the data checks.
     */
    private static final boolean ALARMS = !"false".equals(System.getProperty("wellwatch.interop.alarms"));
    private static final long SCRIPT_TIMEOUT_S = ALARMS ? 300 : 150;
    private static final int NPM_TIMEOUT_S = 300;

    @TempDir
    Path tmp;

    @Test
    void nodeOpcuaClientPassesEveryContractCheck() throws Exception {
        Path node = requireTool("node");
        installNodePackages();

        ThreeWCsv csv = ThreeWCsv.read(CSV);
        int faultRow = firstFaultRow(csv);
        int simPort = freePort();
        int serverPort = freePort();
        AppConfig demo = ConfigLoader.load(Path.of("config/demo.yaml"));
        WellConfig well = demo.wells().stream().filter(w -> w.id().equals(WELL)).findFirst().orElseThrow()
                .withEndpoint("opc.tcp://127.0.0.1:" + simPort + "/plc")
                .withDetector(DETECTOR);
        well = well.withSamplingPeriodMs(Math.round(well.samplingPeriodMs() / SPEED_UP));
        SimWellConfig simWell = demo.simulator().wells().stream().filter(w -> w.id().equals(WELL)).findFirst().orElseThrow();
        SimulatorConfig simConfig = SimulatorConfig.of("127.0.0.1", simPort, "/plc", SPEED_UP,
                List.of(SimWellConfig.of(WELL, CSV.toString(), false, new LinkedHashMap<>(simWell.valves()), List.of())));
        AppConfig config = AppConfig.of(new ServerConfig("127.0.0.1", serverPort, "/wellwatch", "127.0.0.1"),
                StorageConfig.of(tmp.resolve("models").toString()), List.of(well), null,
                io.wellwatch.config.HistoryConfig.at("jdbc:sqlite:" + tmp.resolve("history.db")))
                .withSecurity(demo.security()); // the demo's None endpoint and anonymous operators

        try (PlcSimulator sim = new PlcSimulator(simConfig)) {
            // Held at row 1 until the script has subscribed: it must see the first training. Every
            // tag carries row 1 before WellWatch connects, so no sample mixes the simulator's
            // initial (Bad, wall-clock) values with recorded ones.
            sim.pause(WELL);
            sim.start();
            sim.seekRow(WELL, 1);
            try (WellWatchApp app = WellWatchApp.start(config, tmp.resolve("pki"), List.of());
                 Replay replay = new Replay(sim, app)) {
                // The script's first notifications are then the row-1 assessment, not start-up values.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (app.detector(WELL).status().last() == null && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                WellStatus first = app.detector(WELL).status();
                assertThat(first.last()).as("WellWatch assessed row 1 within 30 s").isNotNull();
                assertThat(first.last().sampleTime()).as("time of the first sample").isEqualTo(csv.firstTimestamp());
                List<String> command = new ArrayList<>(List.of(node.toString(), "interop.mjs", app.endpointUrl(),
                        "--well", WELL,
                        "--data-from", csv.firstTimestamp().toString(),
                        "--data-to", csv.lastTimestamp().toString(),
                        "--pki", tmp.resolve("node-pki").toString(),
                        "--timeout-s", "90"));
                if (ALARMS) {
                    command.add("--alarms");
                }
                long started = System.nanoTime();
                Process process = new ProcessBuilder(command).directory(NODE_PROJECT.toFile()).start();
                ExecutorService io = Executors.newFixedThreadPool(3, r -> {
                    Thread t = new Thread(r, "node-opcua-io");
                    t.setDaemon(true);
                    return t;
                });
                List<String> failures = new ArrayList<>();
                int[] passes = {0};
                String[] summary = {null};
                try (Writer toScript = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
                    io.submit(() -> lines(process.getErrorStream(), line -> System.out.println("[node-opcua:err] " + line)));
                    io.submit(() -> lines(process.getInputStream(), line -> {
                        System.out.println("[node-opcua] " + line);
                        synchronized (failures) {
                            if (line.startsWith("PASS ")) {
                                passes[0]++;
                            } else if (line.startsWith("FAIL ")) {
                                failures.add(line);
                            } else if (line.startsWith("SUMMARY ")) {
                                summary[0] = line;
                            }
                        }
                        if (line.startsWith("NEED ")) {
                            String phase = line.substring(5).trim();
                            // Off the reader thread: a phase may take a while, the script keeps printing.
                            io.submit(() -> answer(toScript, phase, replay.prepare(phase, faultRow)));
                        }
                    }));
                    boolean finished = process.waitFor(SCRIPT_TIMEOUT_S, TimeUnit.SECONDS);
                    if (!finished) {
                        process.destroyForcibly();
                        process.waitFor(10, TimeUnit.SECONDS);
                    }
                    io.shutdown();
                    io.awaitTermination(5, TimeUnit.SECONDS);
                    System.out.printf("node-opcua interop: %s, exit %s, %.1f s, replay at row %d of %d (%s)%n",
                            summary[0], finished ? process.exitValue() : "timeout",
                            (System.nanoTime() - started) / 1e9, sim.currentRow(WELL), csv.rowCount(),
                            app.detector(WELL).status());
                    synchronized (failures) {
                        assertThat(finished).as("interop.mjs finished within %d s", SCRIPT_TIMEOUT_S).isTrue();
                        assertThat(failures).as("FAIL lines of interop.mjs").isEmpty();
                        assertThat(process.exitValue()).as("exit code of interop.mjs").isZero();
                        assertThat(passes[0]).as("PASS lines of interop.mjs").isGreaterThan(50);
                        assertThat(summary[0]).as("SUMMARY line").isNotNull();
                    }
                } finally {
                    process.destroyForcibly();
                    io.shutdownNow();
                }
            }
        }
    }

    /**
     * Drives the replay for the script. While the first model trains the replay pauses (as in the
     * end-to-end test): on a busy 2-core machine a training of 10-40 s at 100x would otherwise
     * swallow much of the normal part. A hold pauses it until the script asks to resume.
     */
    private static final class Replay implements AutoCloseable {
        private final PlcSimulator sim;
        private final WellWatchApp app;
        private final AtomicBoolean running = new AtomicBoolean(true);
        /** Guarded by this. */
        private boolean held;
        private Thread director;

        Replay(PlcSimulator sim, WellWatchApp app) {
            this.sim = sim;
            this.app = app;
        }

        /** Returns null when the phase is ready, or why not. */
        String prepare(String phase, int faultRow) {
            try {
                switch (phase) {
                    case "replay" -> {
                        synchronized (this) {
                            held = false;
                            startDirector();
                            sim.resume(WELL);
                        }
                        return null;
                    }
                    case "hold" -> {
                        synchronized (this) {
                            held = true;
                            sim.pause(WELL);
                        }
                        if (!awaitCondition(() -> !app.detector(WELL).status().training(), 180)) {
                            return "a training is still running";
                        }
                        Thread.sleep(500); // let the samples already on their way arrive
                        return null;
                    }
                    case "fault" -> {
                        synchronized (this) {
                            held = false;
                            sim.resume(WELL);
                        }
                        return awaitCondition(() -> sim.currentRow(WELL) >= faultRow, 180) ? null
                                : "replay at row " + sim.currentRow(WELL) + ", fault starts at row " + faultRow;
                    }
                    default -> {
                        return "unknown phase " + phase;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            } catch (RuntimeException e) {
                return e.toString();
            }
        }

        private static boolean awaitCondition(java.util.function.BooleanSupplier condition, int seconds)
                throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(50);
            }
            return true;
        }

        /** Starts the director once. */
        private synchronized void startDirector() {
            if (director != null) {
                return;
            }
            director = new Thread(() -> {
                while (running.get()) {
                    synchronized (this) { // a hold and this decision do not interleave
                        if (!held) {
                            WellStatus status = app.detector(WELL).status();
                            boolean firstTraining = status.training() && (status.last() == null || !status.last().hasModel());
                            if (firstTraining && !sim.isPaused(WELL)) {
                                sim.pause(WELL);
                            } else if (!firstTraining && sim.isPaused(WELL)) {
                                sim.resume(WELL);
                            }
                        }
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "interop-replay-director");
            director.setDaemon(true);
            director.start();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            Thread d;
            synchronized (this) {
                d = director;
            }
            if (d != null) {
                d.interrupt();
                d.join(2000);
            }
        }
    }

    private static void answer(Writer toScript, String phase, String problem) {
        try {
            synchronized (toScript) {
                toScript.write((problem == null ? "OK " + phase : "NO " + phase + " " + problem) + "\n");
                toScript.flush();
            }
            System.out.println("[interop] " + (problem == null ? "phase ready: " + phase : "phase " + phase + " failed: " + problem));
        } catch (IOException e) {
            System.out.println("[interop] cannot answer the script: " + e);
        }
    }

    private static void lines(InputStream in, Consumer<String> sink) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                sink.accept(line);
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /**
     * Runs {@code npm ci} when the pinned packages are not installed (a fresh checkout) or were
     * installed from another package-lock.json (a version bump): node_modules keeps a stamp with
     * the lock file's SHA-256.
     */
    static void installNodePackages() throws Exception {
        Path stamp = NODE_PROJECT.resolve("node_modules/.wellwatch-lock-sha256");
        String lockHash = sha256(NODE_PROJECT.resolve("package-lock.json"));
        if (Files.isRegularFile(stamp) && Files.readString(stamp).trim().equals(lockHash)
                && Files.isDirectory(NODE_PROJECT.resolve("node_modules/node-opcua"))) {
            return;
        }
        Path npm = requireTool("npm");
        System.out.println("[interop] installing node-opcua: npm ci in " + NODE_PROJECT);
        Process p = new ProcessBuilder(npm.toString(), "ci", "--no-audit", "--no-fund")
                .directory(NODE_PROJECT.toFile()).redirectErrorStream(true).start();
        Thread out = new Thread(() -> lines(p.getInputStream(), line -> System.out.println("[npm] " + line)));
        out.setDaemon(true);
        out.start();
        if (!p.waitFor(NPM_TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("npm ci in " + NODE_PROJECT + " did not finish within " + NPM_TIMEOUT_S + " s");
        }
        out.join(2000);
        assertThat(p.exitValue()).as("exit code of npm ci in %s (needs access to the npm registry)", NODE_PROJECT).isZero();
        Files.writeString(stamp, lockHash + "\n");
    }

    private static String sha256(Path file) throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        return java.util.HexFormat.of().formatHex(digest);
    }

    /** The tool on PATH, or a failure that says what to install. */
    static Path requireTool(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return fail("'" + name + "' is not on the PATH: the node-opcua interoperability test needs Node.js 20 and npm "
                + "(Debian: apt-get install -y nodejs npm; .ci/run installs them)");
    }

    private static int firstFaultRow(ThreeWCsv csv) {
        for (int i = 0; i < csv.rowCount(); i++) {
            if (csv.label(i) > 0) {
                return i + 1; // rows are 1-based in the simulator
            }
        }
        throw new AssertionError("no fault label in " + CSV);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
