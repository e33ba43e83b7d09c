package io.wellwatch.fault;

import io.wellwatch.config.SimWellConfig;
import io.wellwatch.config.SimulatorConfig;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the fault-injection tests share: ports, the shipped data, configs, and reading the metrics endpoint. */
public final class FaultRig {

    static final String WELL = "WELL-00001";
    /** The shipped normal instance: 5 h of real normal operation, replayed in a loop. */
    static final Path NORMAL_CSV = Path.of("src/data/3w/0-WELL-00001_20170201020207.csv").toAbsolutePath();
    /** Sensors of the shipped normal instance that are neither empty nor flat for long stretches. */
    static final List<String> SENSORS = List.of("T-TPT", "P-MON-CKP", "T-JUS-CKP", "P-JUS-CKGL");

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private FaultRig() {
    }

    /** A TCP port that was free a moment ago on the loopback interface. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    /** A simulated PLC replaying the normal instance for {@link #WELL}; {@code faults} none or garbage. */
    static SimulatorConfig simulator(int port, double speedUp, String faults) {
        LinkedHashMap<String, Integer> valves = new LinkedHashMap<>(Map.of("DHSV", 1));
        return SimulatorConfig.of("127.0.0.1", port, "/plc", speedUp,
                List.of(SimWellConfig.of(WELL, NORMAL_CSV.toString(), true, valves, List.of(), faults)));
    }

    /**
     * A WellWatch config (YAML) for {@link #WELL} on the simulator at {@code plcPort}, with a small,
     * fast model (training in about a second) so the tests can train many times.
     */
    static String config(int serverPort, int metricsPort, int plcPort, Path modelDir, String historyUrl,
                         long samplingPeriodMs, String extraWellSettings) {
        StringBuilder y = new StringBuilder();
        y.append("server: { bindAddress: 127.0.0.1, port: ").append(serverPort).append(", path: /wellwatch }\n");
        y.append("storage: { modelDir: \"").append(modelDir.toAbsolutePath()).append("\" }\n");
        // The test clients connect like the demo's (None, anonymous); the PKI stays in the test's directory.
        y.append("security: { pkiDir: \"").append(modelDir.toAbsolutePath().resolveSibling("pki"))
                .append("\", allowSecurityPolicyNone: true, allowAnonymous: true, anonymousRole: operator }\n");
        y.append(historyUrl == null ? "history: { enabled: false }\n"
                : "history: { jdbcUrl: \"" + historyUrl + "\", flushIntervalMs: 200 }\n");
        if (metricsPort > 0) {
            y.append("metrics: { host: 127.0.0.1, port: ").append(metricsPort).append(" }\n");
        }
        y.append("wells:\n");
        y.append("  - id: ").append(WELL).append("\n");
        y.append("    endpoint: opc.tcp://127.0.0.1:").append(plcPort).append("/plc\n");
        y.append("    samplingPeriodMs: ").append(samplingPeriodMs).append("\n");
        y.append("    staleAfterMs: 60000\n");
        y.append(extraWellSettings);
        y.append("    sensors:\n");
        for (String s : SENSORS) {
            double span = s.startsWith("T-") ? 1 : 100000;
            y.append("      - { name: ").append(s).append(", nodeId: \"nsu=urn:wellwatch:simulator;s=")
                    .append(WELL).append('/').append(s).append("\", min: -1000000, max: 100000000, span: ")
                    .append(span).append(" }\n");
        }
        y.append("    valves:\n");
        y.append("      - { name: DHSV, nodeId: \"nsu=urn:wellwatch:simulator;s=").append(WELL).append("/ESTADO-DHSV\" }\n");
        y.append("    detector: { windowSize: 60, retrainInterval: 40, minTrainingSamples: 40, lookback: 5,"
                + " lossWindow: 5, lstmUnits: 8, epochs: 4, batchSize: 16, relearnHoldoff: 0, maxToleranceGrowth: 1000 }\n");
        return y.toString();
    }

    /** The metrics page, or null while the endpoint does not answer. */
    public static String scrape(int metricsPort) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The value of one sample of the page, e.g. {@code wellwatch_models{well="WELL-00001"}}; NaN when absent. */
    static double value(String page, String metric, String labels) {
        if (page == null) {
            return Double.NaN;
        }
        Matcher m = Pattern.compile("^" + Pattern.quote(metric) + (labels.isEmpty() ? "" : Pattern.quote("{" + labels + "}"))
                + " (\\S+)$", Pattern.MULTILINE).matcher(page);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    /** Sum of every sample of a metric whose labels contain {@code labelPart}. */
    public static double sum(String page, String metric, String labelPart) {
        if (page == null) {
            return 0;
        }
        double total = 0;
        Matcher m = Pattern.compile("^" + Pattern.quote(metric) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE).matcher(page);
        while (m.find()) {
            if (m.group(1).contains(labelPart)) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return total;
    }

    /** Samples the detector has counted, in every state. */
    public static long processed(io.wellwatch.core.WellStatus s) {
        return s.normal() + s.analyzing() + s.invalid();
    }

    /** Waits, bounded, until {@code condition} holds; fails naming {@code what}. */
    public static void await(java.util.function.BooleanSupplier condition, int seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + seconds + " s: " + what);
            }
            Thread.sleep(100);
        }
    }
}
