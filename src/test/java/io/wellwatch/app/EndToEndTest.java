package io.wellwatch.app;

import io.wellwatch.config.AppConfig;
import io.wellwatch.config.ConfigLoader;
import io.wellwatch.fault.FaultRig;
import io.wellwatch.config.ServerConfig;
import io.wellwatch.config.SimWellConfig;
import io.wellwatch.config.SimulatorConfig;
import io.wellwatch.config.StorageConfig;
import io.wellwatch.config.WellConfig;
import io.wellwatch.core.WellStatus;
import io.wellwatch.model.Dl4jForecasterFactory;
import io.wellwatch.model.FileModelStore;
import io.wellwatch.sim.PlcSimulator;
import io.wellwatch.sim.ThreeWCsv;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DeadbandType;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * The whole product over 127.0.0.1 on real data: the simulated PLC replays the shipped 3W
 * instance of a spurious DHSV closure (class 2), WellWatch subscribes to it, learns, scores and
 * publishes, and a separate Milo client browses and subscribes like an HMI would. Then WellWatch
 * restarts and its model comes back from disk.
 */
class EndToEndTest {

    private static final String WELL = "WELL-00002";
    private static final Path CSV = Path.of("src/data/3w/2-WELL-00002_20131104014101.csv");
    /** 9,121 s of data in about 90 s. */
    private static final double SPEED_UP = 100;

    @TempDir
    Path tmp;

    @Test
    void learnsTheNormalPartStaysQuietThereAndFlagsTheRealFault() throws Exception {
        ThreeWCsv csv = ThreeWCsv.read(CSV);
        int simPort = freePort();
        int serverPort = freePort();
        int metricsPort = freePort();
        AppConfig demo = ConfigLoader.load(Path.of("config/demo.yaml"));
        WellConfig well = demo.wells().stream().filter(w -> w.id().equals(WELL)).findFirst().orElseThrow()
                .withEndpoint("opc.tcp://127.0.0.1:" + simPort + "/plc");
        well = well.withSamplingPeriodMs(Math.round(well.samplingPeriodMs() / SPEED_UP));
        SimWellConfig simWell = demo.simulator().wells().stream().filter(w -> w.id().equals(WELL)).findFirst().orElseThrow();
        SimulatorConfig simConfig = SimulatorConfig.of("127.0.0.1", simPort, "/plc", SPEED_UP,
                List.of(SimWellConfig.of(WELL, CSV.toString(), false, new java.util.LinkedHashMap<>(simWell.valves()), List.of())));
        AppConfig config = AppConfig.of(new ServerConfig("127.0.0.1", serverPort, "/wellwatch", "127.0.0.1"),
                StorageConfig.of(tmp.resolve("models").toString()), List.of(well), null,
                io.wellwatch.config.HistoryConfig.at("jdbc:sqlite:" + tmp.resolve("history.db")))
                .withSecurity(demo.security()) // the demo's None endpoint and anonymous operators
                .withMetrics(new io.wellwatch.config.MetricsConfig("127.0.0.1", metricsPort));

        Map<String, ConcurrentLinkedQueue<DataValue>> seen;
        try (PlcSimulator sim = new PlcSimulator(simConfig)) {
            sim.start();
            int lastVersion;
            double lastTolerance;
            try (WellWatchApp app = WellWatchApp.start(config, tmp.resolve("pki"), List.of())) {
                OpcUaClient client = OpcUaClient.create(app.endpointUrl());
                client.connect();
                try {
                    int ns = client.readNamespaceTable().getIndex("urn:wellwatch:anomaly").intValue();
                    NodeId wellNode = browsePath(client, ns, "WellWatch", "Wells", WELL);
                    seen = subscribe(client, wellNode, ns, "RiskLevel", "ModelVersion", "Tolerance", "Loss");

                    // The replay ends at the last row (no loop); wait for it, bounded. While the first
                    // model trains the replay pauses: at 100x a training of 10-40 s on a busy 2-core
                    // machine would otherwise swallow most of the normal part the test judges.
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(400);
                    while (sim.currentRow(WELL) < csv.rowCount() - 1 && System.nanoTime() < deadline) {
                        WellStatus status = app.detector(WELL).status();
                        boolean firstTraining = status.training() && (status.last() == null || !status.last().hasModel());
                        if (firstTraining) {
                            sim.pause(WELL);
                        } else {
                            sim.resume(WELL);
                        }
                        Thread.sleep(50);
                    }
                    assertThat(sim.currentRow(WELL)).as("replay reached the end in time").isGreaterThanOrEqualTo(csv.rowCount() - 1);
                    Thread.sleep(1000);

                    List<DataValue> versions = new ArrayList<>(seen.get("ModelVersion"));
                    lastVersion = versions.stream().mapToInt(v -> ((UInteger) v.value().value()).intValue()).max().orElse(0);
                    assertThat(lastVersion).as("ModelVersion reached >= 1").isGreaterThanOrEqualTo(1);
                    Instant firstModel = versions.stream()
                            .filter(v -> ((UInteger) v.value().value()).intValue() >= 1)
                            .map(v -> v.sourceTime().getJavaInstant()).min(Instant::compareTo).orElseThrow();

                    int normal = 0;
                    int normalQuiet = 0;
                    int fault = 0;
                    int faultAlarm = 0;
                    for (DataValue v : seen.get("RiskLevel")) {
                        if (!v.statusCode().isGood() || v.sourceTime() == null) {
                            continue;
                        }
                        Instant t = v.sourceTime().getJavaInstant();
                        int row = (int) Duration.between(csv.firstTimestamp(), t).toSeconds();
                        if (row < 0 || row >= csv.rowCount()) {
                            continue;
                        }
                        int level = ((Number) v.value().value()).intValue();
                        int label = csv.label(row);
                        if (label == 0 && t.isAfter(firstModel)) {
                            normal++;
                            normalQuiet += level == 0 ? 1 : 0;
                        } else if (label > 0) {
                            fault++;
                            faultAlarm += level > 0 ? 1 : 0;
                        }
                    }
                    System.err.printf("E2E figures: first model at %s; normal after first model: %d samples, %.1f%% Normal; "
                                    + "fault-labelled: %d samples, %d above Normal; last model version %d%n",
                            firstModel, normal, 100.0 * normalQuiet / Math.max(1, normal), fault, faultAlarm, lastVersion);
                    assertThat(normal).as("normal samples scored after the first model").isGreaterThan(100);
                    assertThat(normalQuiet / (double) normal).as("share of RiskLevel Normal on normal data").isGreaterThanOrEqualTo(0.95);
                    assertThat(fault).as("fault-labelled samples seen").isGreaterThan(100);
                    assertThat(faultAlarm).as("fault-labelled samples with RiskLevel above Normal").isGreaterThan(0);
                    String page = FaultRig.scrape(metricsPort);
                    assertThat(FaultRig.sum(page, "wellwatch_alarm_activations_total", "well=\"" + WELL + "\""))
                            .as("AnomalyAlarm activations counted on the metrics endpoint; page:%n%s", page).isPositive();
                    assertThat(FaultRig.sum(page, "wellwatch_upstream_connected", "well=\"" + WELL + "\"")).isEqualTo(1.0);

                    lastVersion = ((UInteger) read(client, child(client, wellNode, ns, "ModelVersion")).value().value()).intValue();
                    lastTolerance = (Double) read(client, child(client, wellNode, ns, "Tolerance")).value().value();
                } finally {
                    client.disconnect();
                }
            }

            // Restart: the model and its tolerance come back from disk, no retraining needed. A training
            // still running at the stop may have saved one version more than the client saw.
            var onDisk = new FileModelStore(tmp.resolve("models"), new Dl4jForecasterFactory()).loadLatest(WELL);
            assertThat(onDisk).as("models saved for %s", WELL).hasSize(1);
            var saved = onDisk.values().iterator().next().info();
            assertThat(saved.version()).as("saved version vs the last one served").isGreaterThanOrEqualTo(lastVersion);
            if (saved.version() > lastVersion) {
                lastVersion = saved.version();
                lastTolerance = saved.tolerance();
            } else {
                assertThat(saved.tolerance()).as("saved tolerance vs the one served").isEqualTo(lastTolerance);
            }
            sim.seekRow(WELL, 1);
            try (WellWatchApp app = WellWatchApp.start(config, tmp.resolve("pki"), List.of())) {
                OpcUaClient client = OpcUaClient.create(app.endpointUrl());
                client.connect();
                try {
                    int ns = client.readNamespaceTable().getIndex("urn:wellwatch:anomaly").intValue();
                    NodeId wellNode = browsePath(client, ns, "WellWatch", "Wells", WELL);
                    NodeId version = child(client, wellNode, ns, "ModelVersion");
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    int after = 0;
                    while (System.nanoTime() < deadline) {
                        DataValue v = read(client, version);
                        after = ((UInteger) v.value().value()).intValue();
                        if (after > 0 && v.statusCode().isGood()) {
                            break;
                        }
                        Thread.sleep(100);
                    }
                    assertThat(after).as("ModelVersion after restart").isEqualTo(lastVersion);
                    assertThat((Double) read(client, child(client, wellNode, ns, "Tolerance")).value().value())
                            .as("Tolerance after restart").isEqualTo(lastTolerance);
                } finally {
                    client.disconnect();
                }
            }
        }
    }

    private static Map<String, ConcurrentLinkedQueue<DataValue>> subscribe(OpcUaClient client, NodeId well, int ns,
                                                                          String... names) throws Exception {
        OpcUaSubscription subscription = new OpcUaSubscription(client, 100.0);
        subscription.create();
        Map<String, ConcurrentLinkedQueue<DataValue>> out = new java.util.HashMap<>();
        for (String name : names) {
            ConcurrentLinkedQueue<DataValue> queue = new ConcurrentLinkedQueue<>();
            out.put(name, queue);
            OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(child(client, well, ns, name));
            item.setSamplingInterval(0.0);
            item.setQueueSize(uint(1000));
            // Every published sample, not only changes of value: the test counts samples.
            item.setFilter(new DataChangeFilter(DataChangeTrigger.StatusValueTimestamp, uint(DeadbandType.None.getValue()), 0.0));
            item.setDataValueListener((i, value) -> queue.add(value));
            subscription.addMonitoredItem(item);
        }
        subscription.synchronizeMonitoredItems();
        return out;
    }

    private static NodeId browsePath(OpcUaClient client, int ns, String... names) throws Exception {
        NodeId node = NodeIds.ObjectsFolder;
        for (String name : names) {
            node = child(client, node, ns, name);
        }
        return node;
    }

    private static NodeId child(OpcUaClient client, NodeId parent, int ns, String name) throws Exception {
        BrowseResult result = client.browse(new BrowseDescription(parent, BrowseDirection.Forward, NodeIds.HierarchicalReferences,
                true, uint(0), uint(BrowseResultMask.All.getValue())));
        ReferenceDescription[] refs = result.getReferences() == null ? new ReferenceDescription[0] : result.getReferences();
        return Arrays.stream(refs)
                .filter(r -> r.getBrowseName().equals(new QualifiedName(ns, name)))
                .map(r -> r.getNodeId().toNodeId(client.getNamespaceTable()).orElseThrow())
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " under " + parent));
    }

    private static DataValue read(OpcUaClient client, NodeId node) throws Exception {
        return client.read(0, TimestampsToReturn.Both,
                List.of(new ReadValueId(node, AttributeId.Value.uid(), null, QualifiedName.NULL_VALUE))).getResults()[0];
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
