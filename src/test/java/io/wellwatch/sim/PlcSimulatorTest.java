package io.wellwatch.sim;

import io.wellwatch.config.SimWellConfig;
import io.wellwatch.config.SimulatorConfig;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The simulator on its own, read back with a plain Milo client over 127.0.0.1. */
class PlcSimulatorTest {

    static final String DHSV_FILE = "src/data/3w/2-WELL-00002_20131104014101.csv";
    static final String NORMAL_FILE = "src/data/3w/0-WELL-00001_20170201020207.csv";
    static final String V2_FILE = "src/data/3w-v2/3-WELL-00001_20170320120025.csv";

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    @Test
    void tagsCarryTheSoughtRowWithSourceTimeAndMissingCellsAsBad() throws Exception {
        PlcSimulator sim = start(config(1.0, well("W2", DHSV_FILE, true, Map.of(), List.of())));
        sim.pause("W2");
        sim.seekRow("W2", 3810); // first row labelled 102

        OpcUaClient client = connect(sim);
        ThreeWCsv csv = sim.data("W2");
        List<String> tags = sim.tagNames("W2");
        assertThat(tags).containsExactly("P-PDG", "P-TPT", "T-TPT", "P-MON-CKP", "T-JUS-CKP", "P-JUS-CKGL",
                "T-JUS-CKGL", "QGL", "class");

        Map<String, DataValue> values = read(client, sim, "W2", tags);
        Instant rowTime = csv.timestamp(3809);
        for (String column : csv.columnNames()) {
            DataValue dv = values.get(column);
            assertThat(dv.getSourceTime().getJavaInstant()).as(column).isEqualTo(rowTime);
            assertThat(dv.getServerTime()).as(column).isNotNull();
            double expected = csv.value(3809, column);
            if (Double.isNaN(expected)) {
                assertThat(dv.getStatusCode().getValue()).as(column).isEqualTo(StatusCodes.Bad_NoCommunication);
                assertThat(dv.getValue().getValue()).as(column).isNull();
            } else {
                assertThat(dv.getStatusCode().isGood()).as(column).isTrue();
                assertThat(dv.getValue().getValue()).as(column).isEqualTo(expected);
            }
        }
        assertThat(values.get("T-JUS-CKGL").getStatusCode().getValue()).isEqualTo(PlcSimulator.MISSING_VALUE_STATUS);
        assertThat(values.get("class").getValue().getValue()).isEqualTo(102.0);

        sim.seekRow("W2", 3760); // unlabelled row
        assertThat(read(client, sim, "W2", List.of("class")).get("class").getValue().getValue()).isEqualTo(-1.0);
        assertThat(sim.currentRow("W2")).isEqualTo(3760);
    }

    @Test
    void pausedBeforeStartShowsWaitingForInitialData() throws Exception {
        PlcSimulator sim = new PlcSimulator(config(1.0, well("W1", NORMAL_FILE, true, Map.of("DHSV", 1), List.of())));
        cleanup.add(sim);
        sim.pause("W1");
        sim.start();

        OpcUaClient client = connect(sim);
        Map<String, DataValue> values = read(client, sim, "W1", List.of("P-TPT", "ESTADO-DHSV"));
        assertThat(values.values()).allSatisfy(dv ->
                assertThat(dv.getStatusCode().getValue()).isEqualTo(StatusCodes.Bad_WaitingForInitialData));
        assertThat(sim.currentRow("W1")).isZero();

        sim.resume("W1");
        waitFor(() -> sim.currentRow("W1") >= 1, 5_000);
        assertThat(read(client, sim, "W1", List.of("P-TPT")).get("P-TPT").getValue().getValue()).isEqualTo(1.009211e+07);
    }

    @Test
    void valveEventsDriveValveTagsAndSeekRecomputesThem() throws Exception {
        PlcSimulator sim = start(config(1.0, well("W2", DHSV_FILE, true, linked("DHSV", 1, "W1", 1),
                List.of(new SimWellConfig.ValveEvent(5, "DHSV", 0), new SimWellConfig.ValveEvent(8, "DHSV", 1)))));
        sim.pause("W2");
        OpcUaClient client = connect(sim);
        List<String> valves = List.of("ESTADO-DHSV", "ESTADO-W1");
        assertThat(sim.tagNames("W2")).endsWith("class", "ESTADO-DHSV", "ESTADO-W1");

        sim.seekRow("W2", 4);
        assertThat(states(read(client, sim, "W2", valves))).containsExactly(1, 1);
        sim.seekRow("W2", 5);
        assertThat(states(read(client, sim, "W2", valves))).containsExactly(0, 1);
        sim.seekRow("W2", 7);
        assertThat(states(read(client, sim, "W2", valves))).containsExactly(0, 1);
        sim.seekRow("W2", 8);
        assertThat(states(read(client, sim, "W2", valves))).containsExactly(1, 1);
        sim.seekRow("W2", 6); // backwards: state is recomputed from the scenario
        assertThat(states(read(client, sim, "W2", valves))).containsExactly(0, 1);
    }

    @Test
    void configuredValveReplacesTheCsvColumnOfAVersion2File() throws Exception {
        PlcSimulator sim = start(config(1.0, well("W3", V2_FILE, true, Map.of("DHSV", 0), List.of())));
        sim.pause("W3");
        sim.seekRow("W3", 1);
        OpcUaClient client = connect(sim);

        assertThat(sim.tagNames("W3")).containsOnlyOnce("ESTADO-DHSV").contains("ESTADO-M1", "state", "class");
        Map<String, DataValue> values = read(client, sim, "W3", List.of("ESTADO-DHSV", "ESTADO-M1", "ABER-CKP"));
        assertThat(values.get("ESTADO-DHSV").getValue().getValue()).isEqualTo(0); // Int32, from the config
        assertThat(values.get("ESTADO-M1").getValue().getValue()).isEqualTo(1.0); // Double, from the CSV
        assertThat(values.get("ABER-CKP").getStatusCode().getValue()).isEqualTo(StatusCodes.Bad_NoCommunication);
    }

    @Test
    void loopingShiftsSourceTimeAndNonLoopingHoldsTheLastRow() throws Exception {
        PlcSimulator sim = start(config(50.0,
                well("LOOP", DHSV_FILE, true, Map.of(), List.of()),
                well("ONCE", DHSV_FILE, false, Map.of(), List.of())));
        int last = sim.data("LOOP").rowCount();
        sim.pause("LOOP");
        sim.pause("ONCE");
        sim.seekRow("LOOP", last - 2);
        sim.seekRow("ONCE", last - 2);
        sim.resume("LOOP");
        sim.resume("ONCE");

        waitFor(() -> sim.loopIndex("LOOP") == 1 && sim.currentRow("LOOP") >= 3, 5_000);
        waitFor(() -> sim.currentRow("ONCE") == last, 5_000);
        Thread.sleep(200);
        assertThat(sim.currentRow("ONCE")).isEqualTo(last);
        assertThat(sim.loopIndex("ONCE")).isZero();

        sim.pause("LOOP");
        OpcUaClient client = connect(sim);
        int row = sim.currentRow("LOOP");
        ThreeWCsv csv = sim.data("LOOP");
        Instant expected = csv.timestamp(row - 1).plus(csv.span());
        assertThat(expected).isAfter(csv.lastTimestamp());
        assertThat(sim.sourceTime("LOOP", row, 1)).isEqualTo(expected);
        DataValue tpt = read(client, sim, "LOOP", List.of("P-TPT")).get("P-TPT");
        assertThat(tpt.getSourceTime().getJavaInstant()).isEqualTo(expected);
        assertThat(tpt.getValue().getValue()).isEqualTo(csv.value(row - 1, "P-TPT"));
        DataValue held = read(client, sim, "ONCE", List.of("P-TPT")).get("P-TPT");
        assertThat(held.getSourceTime().getJavaInstant()).isEqualTo(csv.lastTimestamp());
    }

    @Test
    void keepsUpAtSpeedUp100WithTwoWellsAndFollowsSpeedChanges() throws Exception {
        PlcSimulator sim = start(config(100.0,
                well("A", DHSV_FILE, true, Map.of("DHSV", 1), List.of()),
                well("B", NORMAL_FILE, true, Map.of("DHSV", 1), List.of())));
        OpcUaClient client = connect(sim); // a client on the server does not slow the replay down
        read(client, sim, "A", List.of("P-TPT"));

        long a0 = sim.rowsPublished("A");
        long b0 = sim.rowsPublished("B");
        long t0 = System.nanoTime();
        Thread.sleep(2_000);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long a = sim.rowsPublished("A") - a0;
        long b = sim.rowsPublished("B") - b0;
        // 100 rows/s expected; the margin is for a loaded build machine, not for the replay
        assertThat(a / seconds).as("rows/s of A").isBetween(85.0, 105.0);
        assertThat(b / seconds).as("rows/s of B").isBetween(85.0, 105.0);

        sim.setSpeedUp(10);
        long a1 = sim.rowsPublished("A");
        Thread.sleep(1_000);
        assertThat(sim.rowsPublished("A") - a1).isBetween(7L, 13L);
        assertThat(sim.speedUp()).isEqualTo(10.0);
    }

    @Test
    void restartsOnTheSamePortAndResumesTheReplay() throws Exception {
        PlcSimulator sim = start(config(20.0, well("A", DHSV_FILE, true, Map.of(), List.of())));
        int port = sim.port();
        assertThat(port).isPositive();
        waitFor(() -> sim.currentRow("A") >= 5, 5_000);
        sim.stop();
        assertThat(sim.isRunning()).isFalse();
        int rowAtStop = sim.currentRow("A");
        Thread.sleep(200);
        assertThat(sim.currentRow("A")).isEqualTo(rowAtStop);

        sim.start();
        assertThat(sim.port()).isEqualTo(port);
        waitFor(() -> sim.currentRow("A") > rowAtStop, 5_000);
        OpcUaClient client = connect(sim);
        assertThat(read(client, sim, "A", List.of("P-TPT")).get("P-TPT").getStatusCode().isGood()).isTrue();
    }

    @Test
    void rejectsInconsistentConfigs() {
        assertThatThrownBy(() -> new PlcSimulator(config(1.0, well("W", DHSV_FILE, true, Map.of("DHSV", 1),
                List.of(new SimWellConfig.ValveEvent(3, "DHVS", 0))))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DHVS");
        assertThatThrownBy(() -> new PlcSimulator(config(1.0, well("W", DHSV_FILE, true, Map.of("DHSV", 2), List.of()))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 (closed) or 1 (open)");
        assertThatThrownBy(() -> new PlcSimulator(config(1.0,
                well("W", DHSV_FILE, true, Map.of(), List.of()), well("W", NORMAL_FILE, true, Map.of(), List.of()))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> new PlcSimulator(config(1.0, well("W", "src/data/3w/nope.csv", true, Map.of(), List.of()))))
                .isInstanceOf(IOException.class);
    }

    // ------------------------------------------------------------ helpers

    static SimulatorConfig config(double speedUp, SimWellConfig... wells) {
        return SimulatorConfig.of("127.0.0.1", 0, "/plc", speedUp, List.of(wells));
    }

    static SimWellConfig well(String id, String csv, boolean loop, Map<String, Integer> valves,
                              List<SimWellConfig.ValveEvent> events) {
        return SimWellConfig.of(id, csv, loop, new LinkedHashMap<>(valves), events);
    }

    static Map<String, Integer> linked(String k1, int v1, String k2, int v2) {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    private PlcSimulator start(SimulatorConfig config) throws IOException {
        PlcSimulator sim = new PlcSimulator(config);
        cleanup.add(sim);
        sim.start();
        return sim;
    }

    private OpcUaClient connect(PlcSimulator sim) throws Exception {
        OpcUaClient client = OpcUaClient.create(sim.endpointUrl());
        client.connect();
        cleanup.add(client::disconnect);
        return client;
    }

    private static Map<String, DataValue> read(OpcUaClient client, PlcSimulator sim, String wellId, List<String> tags)
            throws Exception {
        List<NodeId> ids = tags.stream().map(t -> new NodeId(sim.namespaceIndex(), wellId + "/" + t)).toList();
        List<DataValue> values = client.readValues(0, TimestampsToReturn.Both, ids);
        Map<String, DataValue> byTag = new LinkedHashMap<>();
        for (int i = 0; i < tags.size(); i++) {
            byTag.put(tags.get(i), values.get(i));
        }
        return byTag;
    }

    private static List<Integer> states(Map<String, DataValue> values) {
        return values.values().stream().map(dv -> (Integer) dv.getValue().getValue()).toList();
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    static void waitFor(Condition condition, long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.holds()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not met within " + timeoutMs + " ms");
            }
            Thread.sleep(20);
        }
    }
}
