package io.wellwatch.bench;

import io.wellwatch.config.AppConfig;
import io.wellwatch.config.SimWellConfig;
import io.wellwatch.config.SimulatorConfig;
import io.wellwatch.sim.PlcSimulator;
import io.wellwatch.sim.ThreeWCsv;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DeadbandType;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * Capacity of one WellWatch server: the largest number of wells at 1 Hz it serves with a p99
 * end-to-end latency under 100 ms (not a unit test; run it with {@code bench/capacity.sh}).
 *
 * <p>For each N of the steps: this JVM runs the real {@link PlcSimulator} replaying the shipped normal
 * 3W instance for N wells at 1 row per second (phases spread over the second, as unsynchronised
 * PLCs are); the real WellWatch server runs as its own process ({@code Main serve} with a generated
 * config, history on SQLite, a model per well so every sample is scored); one real Milo client
 * subscribes to every well's RiskLevel on the server, another to one tag per well on the simulator.
 *
 * <p>End to end = when the simulator wrote a row (the ServerTimestamp the simulator puts on the tag,
 * its clock at the write, read by the simulator-side client, keyed by well and SourceTimestamp) to
 * when the RiskLevel notification carrying that row's SourceTimestamp (the server stamps RiskLevel
 * with the upstream sample's time) reaches the client's listener. All three run on one machine,
 * one clock. A JFR recording of the server during the measurement splits it into stages: the
 * server's {@code io.wellwatch.SampleAssembled} event (assembler tick, how long the newest reading
 * waited for it, how long validation + scoring + publishing took) and
 * {@code io.wellwatch.AssessmentPublished} event (handing the assessment to the address space, the
 * alarm and the history queue), joined with the two client-side clocks by well and sample time;
 * the recording's CPU samples attribute the server's CPU time to the stages ({@link JfrStages}).
 *
 * <p>A step passes when the p99 is under 100 ms and at least 99 % of the rows written in the window
 * reached the client. The steps stop at the first failure.
 *
 * <p>Arguments: {@code [steps=10,25,50,100,200,400,800] [measureSeconds=40] [samplingPeriodMs=20]
 * [warmupSeconds=45]}.
 */
public final class CapacityBench {

    private static final double P99_LIMIT_MS = 100;
    private static final double DELIVERY_MIN = 0.99;
    /** Publishing interval of both bench clients and sampling interval of the RiskLevel items. */
    private static final double CLIENT_INTERVAL_MS = 10;
    private static final int CSV_ROWS = 3600;

    private CapacityBench() {
    }

    public static void main(String[] args) throws Exception {
        int[] steps = Arrays.stream((args.length > 0 ? args[0] : "10,25,50,100,200,400,800").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int measureS = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        long samplingMs = args.length > 2 ? Long.parseLong(args[2]) : 20;
        // A well judges again only after lookback + lossWindow + 1 = 31 samples after a start (31 s at 1 Hz);
        // until then RiskLevel is not a judgement and carries no new SourceTimestamp to match.
        int warmupS = args.length > 3 ? Integer.parseInt(args[3]) : 45;

        BenchReport report = new BenchReport("Capacity: wells at 1 Hz under p99 end-to-end 100 ms (CapacityBench)");
        report.line("method: simulator (this JVM) -> WellWatch server (own JVM, -Xmx1g, history on SQLite, a model per well)"
                + " -> Milo client (this JVM) subscribed to every well's RiskLevel");
        report.line("  end to end = simulator's write of the row (its ServerTimestamp) -> RiskLevel notification with that"
                + " row's SourceTimestamp at the client listener; one clock");
        report.line("  samplingPeriodMs %d (upstream publishing %d ms, assembler tick %d ms; the simulator's items are"
                + " exception-based); clients: publishing %.0f ms, RiskLevel sampling %.0f ms, trigger StatusValueTimestamp",
                samplingMs, samplingMs, samplingMs, CLIENT_INTERVAL_MS, CLIENT_INTERVAL_MS);
        report.line("  per step: warm-up %d s, then %d s measured; pass = p99 < %.0f ms and >= %.0f%% of rows delivered;"
                + " JFR (profile settings) on the server while measuring", warmupS, measureS, P99_LIMIT_MS, DELIVERY_MIN * 100);

        Path work = Files.createTempDirectory("wellwatch-capacity");
        Path csv = BenchWells.firstRows(BenchWells.NORMAL_CSV, CSV_ROWS, work);
        ThreeWCsv data = ThreeWCsv.read(BenchWells.NORMAL_CSV);
        Path models = work.resolve("models");

        int largestPass = 0;
        List<StepResult> results = new ArrayList<>();
        for (int n : steps) {
            StepResult r = runStep(n, n == steps[0], work, csv, data, models, samplingMs, warmupS, measureS, report);
            results.add(r);
            report.line("%s", r.describe());
            report.line("%s", r.profile());
            if (!r.passed()) {
                break;
            }
            largestPass = n;
        }
        report.line("RESULT: largest N passing = %d wells at 1 Hz (first failing step: %s)", largestPass,
                results.stream().filter(r -> !r.passed()).map(r -> "N=" + r.n + " (" + r.why() + ")").findFirst()
                        .orElse("none, the steps ran out"));
        for (StepResult r : results) {
            report.line("  memory N=%d: heap after full GC %.1f MB (%.2f MB/well), RSS %.0f MB (%.2f MB/well), server CPU %.2f cores",
                    r.n, r.heapAfterGcMb, r.heapAfterGcMb / r.n, r.rssMb, r.rssMb / r.n, r.serverCores);
        }
        if (results.size() >= 2) {
            StepResult a = results.get(0);
            StepResult b = results.get(results.size() - 1);
            report.line("  marginal memory per well between N=%d and N=%d: heap %.3f MB/well, RSS %.3f MB/well",
                    a.n, b.n, (b.heapAfterGcMb - a.heapAfterGcMb) / (b.n - a.n), (b.rssMb - a.rssMb) / (b.n - a.n));
        }
        report.append();
        BenchWells.deleteTree(work);
    }

    // ---------------------------------------------------------------- one step

    private static StepResult runStep(int n, boolean firstStep, Path work, Path csv, ThreeWCsv data, Path models, long samplingMs,
                                      int warmupS, int measureS, BenchReport report) throws Exception {
        Path dir = Files.createDirectories(work.resolve("n" + n));
        List<SimWellConfig> simWells = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            simWells.add(SimWellConfig.of(BenchWells.wellId(i), csv.toString(), true,
                    new LinkedHashMap<>(BenchWells.VALVES), List.of()));
        }
        // Models first, so that the one training does not compete with the replay.
        long seedMs = BenchWells.seedModels(BenchWells.parse(BenchWells.yaml(n, "opc.tcp://127.0.0.1:1/plc", 1, models,
                null, samplingMs, null)).wells(), models, data);
        if (seedMs > 0) {
            report.line("seed model trained once in %d ms (real WellDetector, first 500 rows at 1 s), saved for every well", seedMs);
        } else if (firstStep) {
            report.line("seed model (real WellDetector, first 500 rows at 1 s) reused from target/bench-seed-model, saved for every well");
        }
        try (PlcSimulator sim = new PlcSimulator(SimulatorConfig.of("127.0.0.1", 0, "/plc", 1.0, simWells))) {
            sim.start();
            spreadPhases(sim);
            int port = freePort();
            String yaml = BenchWells.yaml(n, sim.endpointUrl(), port, models, dir.resolve("history.db"), samplingMs, null);
            AppConfig config = BenchWells.parse(yaml);
            Path cfg = dir.resolve("wellwatch.yaml");
            Files.writeString(cfg, yaml, StandardCharsets.UTF_8);
            long totalS = 60L + warmupS + measureS + n / 5;
            try (ServerProcess server = ServerProcess.start(dir, cfg, totalS);
                 Probe probe = Probe.connect(sim, config.server().endpointUrl(), n)) {
                Thread.sleep(TimeUnit.SECONDS.toMillis(warmupS));
                Path jfr = dir.resolve("server.jfr");
                server.jcmd("JFR.start", "name=bench", "settings=profile", "filename=" + jfr);
                long cpu0 = server.cpuTicks();
                long wall0 = System.nanoTime();
                Instant from = Instant.now();
                probe.startRecording();
                Thread.sleep(TimeUnit.SECONDS.toMillis(measureS));
                Instant to = Instant.now();
                probe.stopRecording();
                double cores = (server.cpuTicks() - cpu0) / 100.0 / ((System.nanoTime() - wall0) / 1e9);
                server.jcmd("JFR.stop", "name=bench");
                StepResult r = probe.result(n, from, to, JfrStages.pipelineTimes(jfr));
                r.serverCores = cores;
                r.rssMb = server.rssKb() / 1024.0;
                r.heapAfterGcMb = server.heapAfterFullGcKb() / 1024.0;
                r.profile = JfrStages.summarize(jfr);
                return r;
            }
        }
    }

    /** Spreads the wells' row writes over the second, as independent PLCs would be (the replay starts them together). */
    private static void spreadPhases(PlcSimulator sim) throws InterruptedException {
        List<String> ids = sim.wellIds();
        ids.forEach(sim::pause);
        long start = System.nanoTime();
        for (int i = 0; i < ids.size(); i++) {
            long due = start + TimeUnit.MILLISECONDS.toNanos(1000L * i / ids.size());
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            sim.resume(ids.get(i));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }

    // ---------------------------------------------------------------- measurement

    /** Key of one written row: well index and the row's SourceTimestamp. */
    private record RowKey(int well, long sourceMillis) {
    }

    /** One RiskLevel notification: its row and its arrival time, epoch micros. */
    private record Arrival(RowKey row, long receivedMicros) {
    }

    /** An arrival joined with the write time of its row. */
    private record Trip(RowKey row, long writtenMicros, long receivedMicros) {
    }

    /** The stages of the pipeline, in order, as the server's JFR events and the clients' clocks split it. */
    private static final List<String> STAGES = List.of(
            "PLC write -> reading in WellWatch (upstream publishing interval, TCP, Milo client)",
            "reading waits for the assembler tick",
            "validation + scoring (WellDetector)",
            "publish: address space, alarm, history queue",
            "server sampling + publishing interval + TCP -> client listener");

    /** The two bench clients: simulator-side write times, server-side RiskLevel arrivals. */
    private static final class Probe implements AutoCloseable {
        private final OpcUaClient simClient;
        private final OpcUaClient wellwatchClient;
        private final Map<RowKey, Long> written = new ConcurrentHashMap<>();
        private final Map<RowKey, Long> firstArrival = new ConcurrentHashMap<>();
        private final ConcurrentLinkedQueue<Arrival> arrivals = new ConcurrentLinkedQueue<>();
        private volatile boolean recording;
        private long duplicates;

        private Probe(OpcUaClient simClient, OpcUaClient wellwatchClient) {
            this.simClient = simClient;
            this.wellwatchClient = wellwatchClient;
        }

        static Probe connect(PlcSimulator sim, String wellwatchUrl, int n) throws Exception {
            OpcUaClient simClient = OpcUaClient.create(sim.endpointUrl());
            simClient.connect();
            OpcUaClient ww = connectWithRetry(wellwatchUrl, 90 + n / 2);
            Probe p = new Probe(simClient, ww);
            int simNs = simClient.readNamespaceTable().getIndex(SimulatorConfig.NAMESPACE_URI).intValue();
            p.subscribe(simClient, n, i -> new NodeId(simNs, BenchWells.wellId(i) + "/P-PDG"), p::onWrite);
            int wwNs = ww.readNamespaceTable().getIndex("urn:wellwatch:anomaly").intValue();
            p.subscribe(ww, n, i -> new NodeId(wwNs, "WellWatch/Wells/" + BenchWells.wellId(i) + "/RiskLevel"), p::onRiskLevel);
            return p;
        }

        private static OpcUaClient connectWithRetry(String url, int seconds) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (true) {
                try {
                    OpcUaClient c = OpcUaClient.create(url);
                    c.connect();
                    return c;
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("WellWatch server at " + url + " not reachable within " + seconds + " s", e);
                    }
                    Thread.sleep(500);
                }
            }
        }

        private interface Sink {
            void accept(int well, DataValue value, long receivedMicros);
        }

        private void subscribe(OpcUaClient client, int n, java.util.function.IntFunction<NodeId> node, Sink sink)
                throws Exception {
            OpcUaSubscription sub = new OpcUaSubscription(client, CLIENT_INTERVAL_MS);
            sub.create();
            List<OpcUaMonitoredItem> items = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                int well = i;
                OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(node.apply(i));
                item.setSamplingInterval(CLIENT_INTERVAL_MS);
                item.setQueueSize(uint(10));
                // Every sample, not only changes of value: RiskLevel stays Normal on normal data.
                item.setFilter(new DataChangeFilter(DataChangeTrigger.StatusValueTimestamp,
                        uint(DeadbandType.None.getValue()), 0.0));
                item.setDataValueListener((it, v) -> sink.accept(well, v, nowMicros()));
                items.add(item);
            }
            sub.addMonitoredItems(items);
            sub.synchronizeMonitoredItems();
        }

        private void onWrite(int well, DataValue v, long receivedMicros) {
            if (v.sourceTime() != null && v.serverTime() != null) {
                written.put(new RowKey(well, v.sourceTime().getJavaInstant().toEpochMilli()), micros(v.serverTime().getJavaInstant()));
            }
        }

        private void onRiskLevel(int well, DataValue v, long receivedMicros) {
            if (!recording || v.sourceTime() == null || !v.statusCode().isGood()) {
                return;
            }
            RowKey key = new RowKey(well, v.sourceTime().getJavaInstant().toEpochMilli());
            if (firstArrival.putIfAbsent(key, receivedMicros) != null) {
                duplicates++; // a row assembled twice (its tags split over two upstream publishes)
                return;
            }
            arrivals.add(new Arrival(key, receivedMicros));
        }

        void startRecording() {
            recording = true;
        }

        void stopRecording() throws InterruptedException {
            Thread.sleep(1000); // let the last second's rows arrive
            recording = false;
        }

        StepResult result(int n, Instant from, Instant to, Map<String, JfrStages.ServerTimes> server) {
            long fromMicros = micros(from);
            long lastMicros = micros(to);
            long expected = written.values().stream().filter(w -> w >= fromMicros && w < lastMicros).count();
            List<Trip> inWindow = arrivals.stream()
                    .filter(a -> written.containsKey(a.row))
                    .map(a -> new Trip(a.row, written.get(a.row), a.receivedMicros))
                    .filter(t -> t.writtenMicros >= fromMicros && t.writtenMicros < lastMicros).toList();
            double[] total = sortedMs(inWindow.stream().mapToLong(t -> t.receivedMicros - t.writtenMicros));
            // Stages from the server's JFR pipeline events, for the trips they cover.
            List<long[]> staged = new ArrayList<>();
            for (Trip t : inWindow) {
                JfrStages.ServerTimes s = server.get(BenchWells.wellId(t.row.well) + "@" + t.row.sourceMillis);
                if (s != null) {
                    long arrival = s.tick() - s.tickWait();
                    staged.add(new long[] {arrival - t.writtenMicros, s.tickWait(), s.publishStart() - s.tick(),
                            s.publishEnd() - s.publishStart(), t.receivedMicros - s.publishEnd()});
                }
            }
            Map<String, Stats> stages = new LinkedHashMap<>();
            for (int i = 0; i < STAGES.size(); i++) {
                int k = i;
                stages.put(STAGES.get(i), Stats.of(sortedMs(staged.stream().mapToLong(a -> a[k]))));
            }
            return new StepResult(n, expected, total.length, duplicates, Stats.of(total), stages, staged.size());
        }

        private static double[] sortedMs(java.util.stream.LongStream micros) {
            return micros.mapToDouble(m -> m / 1000.0).sorted().toArray();
        }

        @Override
        public void close() {
            for (OpcUaClient c : List.of(wellwatchClient, simClient)) {
                try {
                    c.disconnect();
                } catch (Exception e) {
                    // closing anyway
                }
            }
        }
    }

    private static long nowMicros() {
        return micros(Instant.now());
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    /** Median, p99, max and mean of sorted values (ms). */
    record Stats(double p50, double p99, double max, double mean) {
        static Stats of(double[] sorted) {
            if (sorted.length == 0) {
                return new Stats(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            return new Stats(Percentiles.of(sorted, 50), Percentiles.of(sorted, 99), sorted[sorted.length - 1],
                    Arrays.stream(sorted).average().orElse(Double.NaN));
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "median %.1f, p99 %.1f, max %.1f, mean %.1f ms", p50, p99, max, mean);
        }
    }

    private static final class StepResult {
        final int n;
        final long expected;
        final long delivered;
        final long duplicates;
        final Stats total;
        final Map<String, Stats> stages;
        final int staged;
        double serverCores;
        double rssMb;
        double heapAfterGcMb;
        String profile = "";

        StepResult(int n, long expected, long delivered, long duplicates, Stats total, Map<String, Stats> stages, int staged) {
            this.n = n;
            this.expected = expected;
            this.delivered = delivered;
            this.duplicates = duplicates;
            this.total = total;
            this.stages = stages;
            this.staged = staged;
        }

        double deliveredShare() {
            return expected == 0 ? 0 : (double) delivered / expected;
        }

        boolean passed() {
            return total.p99 < P99_LIMIT_MS && deliveredShare() >= DELIVERY_MIN;
        }

        String why() {
            return passed() ? "pass" : String.format(Locale.ROOT, "p99 %.1f ms, delivered %.1f%%", total.p99, 100 * deliveredShare());
        }

        String describe() {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                    "N=%d %s: end to end %s | rows written %d, delivered %d (%.1f%%), assembled twice %d",
                    n, passed() ? "PASS" : "FAIL", total, expected, delivered, 100 * deliveredShare(), duplicates));
            double sumOfMeans = stages.values().stream().mapToDouble(Stats::mean).sum();
            b.append(String.format(Locale.ROOT, "%n  stages (%d of the rows, matched with the server's JFR pipeline events):", staged));
            String slowest = null;
            for (var e : stages.entrySet()) {
                b.append(String.format(Locale.ROOT, "%n    %-78s %s (%.0f%% of the time)", e.getKey(), e.getValue(),
                        100 * e.getValue().mean / sumOfMeans));
                if (slowest == null || e.getValue().mean > stages.get(slowest).mean) {
                    slowest = e.getKey();
                }
            }
            if (slowest != null) {
                b.append(String.format(Locale.ROOT, "%n  slowest stage: %s, %.0f%% of the end-to-end time (mean)", slowest,
                        100 * stages.get(slowest).mean / sumOfMeans));
            }
            return b.toString();
        }

        String profile() {
            return "  server CPU by stage (JFR execution samples): " + profile;
        }
    }

    // ---------------------------------------------------------------- the server process

    /** The real server, {@code Main serve}, in its own JVM with the benchmark's class path minus the test classes. */
    private static final class ServerProcess implements AutoCloseable {
        private final Process process;
        private final Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");

        private ServerProcess(Process process) {
            this.process = process;
        }

        static ServerProcess start(Path dir, Path config, long durationS) throws IOException {
            String cp = Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                    .filter(e -> !e.endsWith("test-classes"))
                    .map(e -> Path.of(e).toAbsolutePath().toString())
                    .reduce((a, b) -> a + java.io.File.pathSeparator + b).orElseThrow();
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-Dwellwatch.logLevel=WARN",
                    "-Dwellwatch.logDir=" + dir.resolve("logs"), "-cp", cp, "io.wellwatch.cli.Main",
                    "serve", "--config", config.toString(), "--duration", durationS + "s", "--status-every", "1h");
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                    .redirectOutput(dir.resolve("server.out").toFile()).redirectError(dir.resolve("server.err").toFile());
            pb.environment().put("OMP_NUM_THREADS", "1");
            return new ServerProcess(pb.start());
        }

        String jcmd(String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of(jcmd.toString(), Long.toString(process.pid())));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("jcmd " + String.join(" ", args) + " failed: " + out);
            }
            return out;
        }

        /** utime + stime of the server in clock ticks (100 per second on Linux). */
        long cpuTicks() throws IOException {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }

        long rssKb() throws IOException {
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("\\D", ""));
                }
            }
            return -1;
        }

        /** Java heap in use right after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}). */
        long heapAfterFullGcKb() throws IOException, InterruptedException {
            jcmd("GC.run");
            String info = jcmd("GC.heap_info");
            var m = java.util.regex.Pattern.compile("total \\d+K, used (\\d+)K").matcher(info);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy(); // SIGTERM: the server stops in order
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
