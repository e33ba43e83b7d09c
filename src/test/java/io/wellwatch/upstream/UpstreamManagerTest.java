package io.wellwatch.upstream;

import io.wellwatch.config.SensorConfig;
import io.wellwatch.config.SimWellConfig;
import io.wellwatch.config.SimulatorConfig;
import io.wellwatch.config.ValveConfig;
import io.wellwatch.config.WellConfig;
import io.wellwatch.core.Quality;
import io.wellwatch.core.RawSample;
import io.wellwatch.core.TagReading;
import io.wellwatch.sim.PlcSimulator;
import io.wellwatch.sim.ThreeWCsv;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/** Simulator and upstream client together over 127.0.0.1: real Milo server, real Milo client. */
class UpstreamManagerTest {

    static final String DHSV_FILE = "src/data/3w/2-WELL-00002_20131104014101.csv";
    static final String NORMAL_FILE = "src/data/3w/0-WELL-00001_20170201020207.csv";
    static final List<String> COLUMNS =
            List.of("P-PDG", "P-TPT", "T-TPT", "P-MON-CKP", "T-JUS-CKP", "P-JUS-CKGL", "T-JUS-CKGL", "QGL");
    static final int VALVE_EVENT_ROW = 40;
    static final long WAIT_MS = 30_000;

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    @Test
    void samplesCarryTheCsvRowsTheirSourceTimesMissingCellsAsBadAndValveEvents() throws Exception {
        PlcSimulator sim = simulator(0);
        sim.start();
        awaitFirstRow(sim);
        String url = sim.endpointUrl();
        WellConfig w2 = dhsvWell(url, sim.namespaceIndex());
        WellConfig w1 = WellConfig.of("W1", url, 300L, null, List.of(
                sensor("P-TPT", PlcSimulator.tagNodeId("W1", "P-TPT")),
                sensor("T-TPT", PlcSimulator.tagNodeId("W1", "T-TPT"))), List.of(), null);
        WellConfig broken = WellConfig.of("BROKEN", url, 200L, null, List.of(
                sensor("P-TPT", PlcSimulator.tagNodeId("W2", "P-TPT")),
                sensor("NOPE", PlcSimulator.tagNodeId("W2", "NOPE")),
                sensor("ELSEWHERE", "nsu=urn:not-on-this-server;s=W2/P-TPT")), List.of(), null);
        RecordingSink sink = new RecordingSink();
        UpstreamManager manager = manager(List.of(w2, w1, broken), sink);
        assertThat(manager.connections()).hasSize(1);
        manager.start();

        sink.awaitConnection(0, "W2", true, WAIT_MS);
        sink.awaitConnection(0, "W1", true, WAIT_MS);
        // the valve event at row 40 comes ~2 s into the replay; wait for it and a few samples more
        int closedAt = sink.await(0, e -> e.isSample() && e.wellId().equals("W2")
                && e.sample().valves()[0] != null && e.sample().valves()[0].value() == 0.0, WAIT_MS, "DHSV closed");
        sink.awaitSampleCount("W2", sink.samples("W2").size() + 3, WAIT_MS);
        sink.awaitSampleCount("W1", 5, WAIT_MS);
        sink.awaitSampleCount("BROKEN", 3, WAIT_MS);
        assertThat(closedAt).isPositive();

        ThreeWCsv csv2 = sim.data("W2");
        List<RawSample> samples = sink.samples("W2");
        assertThat(samples).hasSizeGreaterThanOrEqualTo(8);
        Instant previous = Instant.MIN;
        boolean sawOpen = false;
        boolean sawClosed = false;
        for (RawSample s : samples) {
            assertThat(s.sensors()).hasSize(COLUMNS.size());
            assertThat(s.valves()).hasSize(1);
            assertThat(s.time()).isEqualTo(newest(s));
            assertThat(s.time()).isAfterOrEqualTo(previous);
            previous = s.time();
            for (int i = 0; i < COLUMNS.size(); i++) {
                TagReading r = s.sensors()[i];
                assertThat(r).as("sensor %s", COLUMNS.get(i)).isNotNull();
                assertMatchesCsv(csv2, COLUMNS.get(i), r);
            }
            TagReading dhsv = s.valves()[0];
            assertThat(dhsv.quality()).isEqualTo(Quality.GOOD);
            int row = rowOf(csv2, dhsv.sourceTime());
            assertThat(dhsv.value()).as("DHSV at row %d", row).isEqualTo(row >= VALVE_EVENT_ROW ? 0.0 : 1.0);
            sawOpen |= dhsv.value() == 1.0;
            sawClosed |= dhsv.value() == 0.0;
        }
        assertThat(sawOpen).isTrue();
        assertThat(sawClosed).isTrue();
        assertThat(samples).allSatisfy(s -> assertThat(s.sensors()[6].quality()).as("T-JUS-CKGL").isNotEqualTo(Quality.GOOD));

        ThreeWCsv csv1 = sim.data("W1");
        for (RawSample s : sink.samples("W1")) {
            assertMatchesCsv(csv1, "P-TPT", s.sensors()[0]);
            assertMatchesCsv(csv1, "T-TPT", s.sensors()[1]);
            assertThat(s.valves()).isEmpty();
        }
        for (RawSample s : sink.samples("BROKEN")) {
            assertMatchesCsv(csv2, "P-TPT", s.sensors()[0]);
            assertThat(s.sensors()[1]).as("unknown node").isNull();
            assertThat(s.sensors()[2]).as("unknown namespace").isNull();
        }
        // nothing moves while the replay is paused: no duplicate samples
        sim.pause("W2");
        Thread.sleep(400); // let in-flight notifications drain
        int before = sink.samples("W2").size();
        Thread.sleep(800);
        assertThat(sink.samples("W2")).hasSize(before);
    }

    @Test
    void anOutageIsReportedForEveryWellAndSamplesResumeWhenThePlcIsBack() throws Exception {
        PlcSimulator sim = simulator(0);
        sim.start();
        awaitFirstRow(sim);
        String url = sim.endpointUrl();
        WellConfig w2 = dhsvWell(url, -1);
        WellConfig w1 = WellConfig.of("W1", url, 300L, null,
                List.of(sensor("P-TPT", PlcSimulator.tagNodeId("W1", "P-TPT"))), List.of(), null);
        RecordingSink sink = new RecordingSink();
        UpstreamManager manager = manager(List.of(w2, w1), sink);
        manager.start();
        int up = sink.awaitConnection(0, "W2", true, WAIT_MS);
        sink.awaitConnection(0, "W1", true, WAIT_MS);
        sink.awaitSample(up, "W2", WAIT_MS);
        Instant lastBeforeOutage = sink.samples("W2").get(sink.samples("W2").size() - 1).time();

        sim.stop();
        int down2 = sink.awaitConnection(up, "W2", false, WAIT_MS);
        int down1 = sink.awaitConnection(up, "W1", false, WAIT_MS);
        assertThat(manager.isConnected("W2")).isFalse();
        Thread.sleep(700);
        List<RecordingSink.Event> afterDown = sink.events().subList(down2 + 1, sink.size());
        assertThat(afterDown).as("no samples while disconnected").noneMatch(e -> e.isSample() && e.wellId().equals("W2"));

        sim.start(); // same port, fresh server: the old subscription is gone
        int back = sink.awaitConnection(down2, "W2", true, WAIT_MS);
        sink.awaitConnection(down1, "W1", true, WAIT_MS);
        int next = sink.await(back, e -> e.isSample() && e.wellId().equals("W2")
                && e.sample().sensors()[1].quality() == Quality.GOOD, WAIT_MS, "a good P-TPT of W2 after the outage");
        RawSample resumed = sink.events().get(next).sample();
        assertThat(resumed.time()).isAfter(lastBeforeOutage);
        assertMatchesCsv(sim.data("W2"), "P-TPT", resumed.sensors()[1]);
        sink.awaitSample(sink.awaitConnection(down1, "W1", true, WAIT_MS), "W1", WAIT_MS);
        assertThat(sink.connectionStates("W2")).containsExactly(true, false, true);
    }

    @Test
    void startReturnsAtOnceWhileThePlcIsDownAndConnectsWhenItAppears() throws Exception {
        int port = freePort();
        PlcSimulator sim = simulator(port);
        WellConfig w2 = dhsvWell(sim.endpointUrl(), -1);
        RecordingSink sink = new RecordingSink();
        UpstreamManager manager = manager(List.of(w2), sink);

        long t0 = System.nanoTime();
        manager.start();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
        int down = sink.awaitConnection(0, "W2", false, WAIT_MS);
        Thread.sleep(1_500); // a few failed attempts with backoff
        assertThat(sink.connectionStates("W2")).containsExactly(false);

        sim.start();
        int up = sink.awaitConnection(down, "W2", true, WAIT_MS);
        // The client may subscribe before the first row is out: that reading is Bad_WaitingForInitialData.
        int first = sink.await(up, e -> e.isSample() && e.wellId().equals("W2")
                && e.sample().sensors()[1].quality() == Quality.GOOD, WAIT_MS, "a good P-TPT of W2");
        assertMatchesCsv(sim.data("W2"), "P-TPT", sink.events().get(first).sample().sensors()[1]);
    }

    // ------------------------------------------------------------ helpers

    /** Well W2 of the simulator: all columns, P-TPT addressed by namespace index when one is given. */
    static WellConfig dhsvWell(String url, int namespaceIndex) {
        List<SensorConfig> sensors = new ArrayList<>();
        for (String c : COLUMNS) {
            String nodeId = c.equals("P-TPT") && namespaceIndex >= 0
                    ? "ns=" + namespaceIndex + ";s=W2/P-TPT"
                    : PlcSimulator.tagNodeId("W2", c);
            sensors.add(sensor(c, nodeId));
        }
        return WellConfig.of("W2", url, 200L, null, sensors,
                List.of(new ValveConfig("DHSV", PlcSimulator.tagNodeId("W2", PlcSimulator.valveTag("DHSV")))), null);
    }

    /** So that the first notification already carries row data rather than Bad_WaitingForInitialData. */
    static void awaitFirstRow(PlcSimulator sim) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5_000;
        while ((sim.currentRow("W2") < 1 || sim.currentRow("W1") < 1) && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
    }

    static SensorConfig sensor(String name, String nodeId) {
        return new SensorConfig(name, nodeId, null, null, null);
    }

    private PlcSimulator simulator(int port) throws IOException {
        Map<String, Integer> valves = new LinkedHashMap<>();
        valves.put("DHSV", 1);
        SimulatorConfig config = SimulatorConfig.of("127.0.0.1", port, "/plc", 20.0, List.of(
                SimWellConfig.of("W2", DHSV_FILE, false, new LinkedHashMap<>(valves),
                        List.of(new SimWellConfig.ValveEvent(VALVE_EVENT_ROW, "DHSV", 0))),
                SimWellConfig.of("W1", NORMAL_FILE, true, null, null)));
        PlcSimulator sim = new PlcSimulator(config);
        cleanup.add(sim);
        return sim;
    }

    private UpstreamManager manager(List<WellConfig> wells, RecordingSink sink) {
        UpstreamManager m = new UpstreamManager(wells, sink);
        cleanup.add(m);
        return m;
    }

    /** The 1-based CSV row a source time belongs to (no looping within a test). */
    static int rowOf(ThreeWCsv csv, Instant sourceTime) {
        long seconds = Duration.between(csv.firstTimestamp(), sourceTime).toMillis();
        assertThat(seconds % 1000).as("source time %s on a whole row", sourceTime).isZero();
        int row = (int) (seconds / 1000) + 1;
        assertThat(row).as("row of %s", sourceTime).isBetween(1, csv.rowCount());
        return row;
    }

    static void assertMatchesCsv(ThreeWCsv csv, String column, TagReading r) {
        assertThat(r).as(column).isNotNull();
        int row = rowOf(csv, r.sourceTime());
        double expected = csv.value(row - 1, column);
        if (Double.isNaN(expected)) {
            assertThat(r.quality()).as("%s at row %d", column, row).isEqualTo(Quality.BAD);
            assertThat(r.value()).as("%s at row %d", column, row).isNaN();
        } else {
            assertThat(r.quality()).as("%s at row %d", column, row).isEqualTo(Quality.GOOD);
            assertThat(r.value()).as("%s at row %d", column, row).isEqualTo(expected);
        }
    }

    static Instant newest(RawSample s) {
        return Arrays.stream(new TagReading[][]{s.sensors(), s.valves()})
                .flatMap(Arrays::stream)
                .filter(Objects::nonNull)
                .map(TagReading::sourceTime)
                .max(Instant::compareTo)
                .orElse(null);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }
}
