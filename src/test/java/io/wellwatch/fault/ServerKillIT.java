package io.wellwatch.fault;

import io.wellwatch.sim.PlcSimulator;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.wellwatch.fault.FaultRig.WELL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A power cut in the middle of training: the real CLI ({@code serve}) in its own JVM is killed with
 * SIGKILL while it trains or writes a model until {@value #TRIALS} kills have landed there, and restarted each time on the
 * same model directory. Every restart must load the newest complete version on disk (never a
 * half-written one), lose no version that was saved before the kill, and resume detection; at the
 * end, a corrupted and an incompatible model file are skipped in favour of the version before them,
 * and an orderly stop (SIGTERM) during a training exits cleanly, finishing or abandoning the training
 * without a half-written file, and flushes the history.
 */
class ServerKillIT {

    private static final Logger LOG = LogManager.getLogger(ServerKillIT.class);
    /** Kills that must land during a training or its model write: at least 20; {@code -Dwellwatch.killTrials=N} while debugging. */
    static final int TRIALS = Integer.getInteger("wellwatch.killTrials", 20);
    /** Every {@value #CALIBRATE_EVERY}th run lets the training finish, to measure how long one takes, and is killed after the save. */
    private static final int CALIBRATE_EVERY = 5;
    /**
     * Bound on the runs. A training here takes 0.1-0.4 s (the write included), about as long as the log line takes
     * to reach the test and the kill to land, so about half the aimed kills land after the save (20 in 36-41 runs).
     */
    private static final int MAX_RUNS = 3 * TRIALS + 10;
    /** Kill points as fractions of the last measured training time: early, mid, late, and at the end (the write). */
    private static final double[] KILL_AT = {0.1, 0.3, 0.5, 0.7, 0.85, 0.95, 0.99};
    private static final Pattern VERSION_DIR = Pattern.compile("v(\\d{6,9})");
    private static final long START_MS = 120_000;

    @TempDir
    Path work;

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void killedDuringTrainingRestartsOnThePreviousModelAndLosesNothing() throws Exception {
        Path models = work.resolve("models");
        int plcPort = FaultRig.freePort();
        // 50x: a row of data every 20 ms, one sample per row; a training every 40 samples.
        try (PlcSimulator plc = new PlcSimulator(FaultRig.simulator(plcPort, 50, "none"))) {
            plc.start();
            int expected = 0; // newest version on disk = the one a restart must load
            int duringTraining = 0;
            int afterSave = 0;
            int tempDirsLeft = 0;
            long trainMs = -1; // how long the last observed training took, from 'training vN' to 'trained vN'
            List<String> trials = new ArrayList<>();
            int run = 0;
            while (duringTraining < TRIALS) {
                run++;
                assertThat(run).as("runs needed for %d kills during training; so far:%n%s", TRIALS, String.join("\n", trials))
                        .isLessThanOrEqualTo(MAX_RUNS);
                try (ServerProcess server = startServer(plcPort, models, FaultRig.freePort(), null)) {
                    checkResumed(server, expected);
                    ServerProcess.Found training = server.await(0, WELL + ": training v(\\d+) ", START_MS);
                    int version = Integer.parseInt(training.group(1));
                    assertThat(version).as("versions never repeat").isGreaterThan(expected);
                    long started = System.nanoTime();
                    long delay;
                    if (trainMs < 0 || run % CALIBRATE_EVERY == 0) {
                        // Let it finish and kill right after the save (while the model goes into service).
                        server.await(training.line(), WELL + ": trained v" + version + " ", START_MS);
                        delay = (System.nanoTime() - started) / 1_000_000;
                        trainMs = delay;
                    } else {
                        // Spread the kills over the training and the write at its end.
                        delay = Math.round(trainMs * KILL_AT[run % KILL_AT.length]);
                        Thread.sleep(delay);
                    }
                    server.kill();
                    boolean saved = server.find(training.line(), WELL + ": trained v" + version + " ") != null;
                    List<Integer> onDisk = versionsOnDisk(models);
                    int temps = tempDirs(models);
                    if (saved) {
                        afterSave++;
                        assertThat(onDisk).as("run %d: v%d was saved before the kill", run, version).contains(version);
                    } else {
                        duringTraining++;
                    }
                    if (expected > 0) {
                        assertThat(onDisk).as("run %d: nothing lost", run).contains(expected);
                    }
                    for (int v : onDisk) {
                        assertComplete(models, v);
                    }
                    tempDirsLeft += temps;
                    trials.add(String.format("run %d: kill %d ms after 'training v%d' (%s), versions on disk %s%s",
                            run, delay, version, saved ? "after its save" : "during training or write", onDisk,
                            temps > 0 ? ", " + temps + " half-written temp dir(s) left" : ""));
                    expected = onDisk.isEmpty() ? 0 : onDisk.get(onDisk.size() - 1);
                }
            }
            trials.forEach(LOG::info);
            LOG.info("SIGKILL runs: {}, every one survived (restart loaded the newest complete version, detection resumed);"
                    + " {} killed during training or write, {} after the save (training {} ms); {} half-written temp dirs"
                    + " left by kills, none ever loaded; newest version v{}", run, duringTraining, afterSave, trainMs,
                    tempDirsLeft, expected);
            assertThat(expected).as("enough versions for the corruption check").isGreaterThanOrEqualTo(3);

            // A corrupted newest version and an incompatible one before it: the one before those loads.
            Path newest = versionDir(models, expected);
            Files.write(newest.resolve("weights.zip"), new byte[]{'P', 'K', 0, 0, 'x'});
            Path previous = versionDir(models, expected - 1);
            Path json = previous.resolve("model.json");
            Files.writeString(json, Files.readString(json).replaceFirst("\"format\"\\s*:\\s*1", "\"format\" : 99"));
            int metricsPort = FaultRig.freePort();
            String history = "jdbc:sqlite:" + work.resolve("history.db");
            try (ServerProcess server = startServer(plcPort, models, metricsPort, history)) {
                server.await(0, "WellWatch serving", START_MS);
                server.await(0, "Skipping model version .*" + String.format("v%06d", expected), 1000);
                server.await(0, "Skipping model version .*" + String.format("v%06d", expected - 1), 1000);
                server.await(0, WELL + ": resumed model v" + (expected - 2) + " ", 1000);
                String page = awaitMetrics(metricsPort);
                assertThat(FaultRig.value(page, "wellwatch_model_versions_skipped_total", "")).isEqualTo(2.0);
                // Ctrl-C / SIGTERM in the middle of a training: it finishes or is abandoned cleanly.
                ServerProcess.Found training = server.await(0, WELL + ": training v(\\d+) ", START_MS);
                int version = Integer.parseInt(training.group(1));
                // 143 = ended by SIGTERM after the shutdown hook let the orderly stop finish
                assertThat(server.terminate(60_000)).as("exit code after SIGTERM").isIn(0, 143);
                boolean finished = server.find(training.line(), WELL + ": trained v" + version + " ") != null;
                if (!finished) {
                    server.await(training.line(), WELL + ": training v" + version + " of .* abandoned: shutting down", 1000);
                }
                assertThat(versionsOnDisk(models).contains(version)).as("v%d on disk exactly when it finished", version)
                        .isEqualTo(finished);
                for (int v : versionsOnDisk(models)) {
                    assertComplete(models, v);
                }
                // The orderly stop flushes the history queue: every row written, none lost.
                server.await(0, "History store closed: [1-9]\\d* rows written, 0 lost", 1000);
                assertThat(server.stdout()).anySatisfy(l -> assertThat(l).startsWith("WellWatch stopped."));
                LOG.info("SIGTERM during training v{}: {}, exit in order, history flushed", version,
                        finished ? "it finished and was saved" : "abandoned, nothing written");
            }
        }
    }

    private ServerProcess startServer(int plcPort, Path models, int metricsPort, String historyUrl) throws IOException {
        Path config = work.resolve("wellwatch.yaml");
        Files.writeString(config, FaultRig.config(FaultRig.freePort(), metricsPort, plcPort, models, historyUrl, 20, ""));
        return ServerProcess.start(work, config);
    }

    /** The restart loaded exactly the newest complete version (or none on the first start) and scores again. */
    private void checkResumed(ServerProcess server, int expected) throws InterruptedException {
        server.await(0, "WellWatch serving", START_MS);
        Matcher resumed = server.find(0, WELL + ": resumed model v(\\d+) ");
        if (expected == 0) {
            assertThat(resumed).as("no model before the first one was saved").isNull();
            return;
        }
        assertThat(resumed).as("a model was loaded; log:\n%s", server.tail(20)).isNotNull();
        assertThat(Integer.parseInt(resumed.group(1))).as("the newest complete version").isEqualTo(expected);
    }

    /** Waits (bounded) until the metrics endpoint answers. */
    private static String awaitMetrics(int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            String page = FaultRig.scrape(port);
            if (page != null) {
                return page;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("metrics endpoint on port " + port + " never answered");
    }

    static List<Integer> versionsOnDisk(Path models) throws IOException {
        if (!Files.isDirectory(models)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(models)) {
            return all.filter(Files::isDirectory)
                    .map(p -> VERSION_DIR.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches)
                    .map(m -> Integer.parseInt(m.group(1)))
                    .sorted()
                    .toList();
        }
    }

    private static int tempDirs(Path models) throws IOException {
        if (!Files.isDirectory(models)) {
            return 0;
        }
        try (Stream<Path> all = Files.walk(models)) {
            return (int) all.filter(p -> p.getFileName().toString().startsWith(".tmp-")).count();
        }
    }

    private static Path versionDir(Path models, int version) throws IOException {
        String name = String.format("v%06d", version);
        try (Stream<Path> all = Files.walk(models)) {
            return all.filter(p -> p.getFileName().toString().equals(name)).findFirst().orElseThrow();
        }
    }

    /** A version directory in place is whole: both files, non-empty (the store renames it in only when complete). */
    private static void assertComplete(Path models, int version) throws IOException {
        Path dir = versionDir(models, version);
        assertThat(dir.resolve("weights.zip")).isNotEmptyFile();
        assertThat(dir.resolve("model.json")).isNotEmptyFile();
    }
}
