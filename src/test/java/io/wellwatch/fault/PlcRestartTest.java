package io.wellwatch.fault;

import io.wellwatch.app.WellWatchApp;
import io.wellwatch.config.AppConfig;
import io.wellwatch.config.ConfigLoader;
import io.wellwatch.core.WellDetector;
import io.wellwatch.core.WellStatus;
import io.wellwatch.sim.PlcSimulator;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.wellwatch.fault.FaultRig.WELL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PLC stops in the middle of a run and comes back on the same endpoint: the well's variables
 * turn Bad_NoCommunication, no sample is invented while it is away, the training window keeps its
 * samples, and data flows again without a restart of WellWatch. Prints the reconnect time.
 */
class PlcRestartTest {

    private static final Logger LOG = LogManager.getLogger(PlcRestartTest.class);

    @TempDir
    Path work;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void plcLostAndBackLosesNothingAndNeedsNoRestart() throws Exception {
        int plcPort = FaultRig.freePort();
        try (PlcSimulator plc = new PlcSimulator(FaultRig.simulator(plcPort, 20, "none"))) {
            plc.start();
            int metricsPort = FaultRig.freePort();
            AppConfig config = ConfigLoader.parse(FaultRig.config(FaultRig.freePort(), metricsPort, plcPort,
                    work.resolve("models"), null, 50, ""), "restart.yaml", work);
            try (WellWatchApp app = WellWatchApp.start(config, work.resolve("pki"), List.of())) {
                WellDetector detector = app.detector(WELL);
                OpcUaClient client = OpcUaClient.create(app.endpointUrl());
                client.connect();
                try {
                    int ns = client.getNamespaceTable().getIndex("urn:wellwatch:anomaly").intValue();
                    NodeId riskLevel = new NodeId(ns, "WellWatch/Wells/" + WELL + "/RiskLevel");
                    NodeId buffered = new NodeId(ns, "WellWatch/Wells/" + WELL + "/SamplesBuffered");
                    FaultRig.await(() -> detector.status().last() != null && detector.status().last().samplesBuffered() >= 20,
                            60, "20 samples in the window");
                    assertThat(read(client, buffered).statusCode().isGood()).isTrue();
                    assertThat(read(client, riskLevel).statusCode().getValue())
                            .as("no model yet: RiskLevel is no judgement").isEqualTo(StatusCodes.Bad_WaitingForInitialData);

                    plc.stop();
                    long stopped = System.nanoTime();
                    FaultRig.await(() -> read(client, riskLevel).statusCode().getValue() == StatusCodes.Bad_NoCommunication,
                            30, "RiskLevel Bad_NoCommunication");
                    double lostAfter = (System.nanoTime() - stopped) / 1e9;
                    WellStatus during = detector.status();
                    long processed = FaultRig.processed(during);
                    int window = during.last().samplesBuffered();
                    Thread.sleep(3000); // the PLC stays away: no sample may appear
                    assertThat(FaultRig.processed(detector.status())).as("no samples invented while the PLC is away").isEqualTo(processed);
                    assertThat(read(client, buffered).statusCode().getValue()).isEqualTo(StatusCodes.Bad_NoCommunication);
                    assertThat(connected(metricsPort)).as("wellwatch_upstream_connected while the PLC is away").isZero();

                    plc.start();
                    long back = System.nanoTime();
                    FaultRig.await(() -> FaultRig.processed(detector.status()) > processed, 60, "samples after the PLC's return");
                    double reconnect = (System.nanoTime() - back) / 1e9;
                    FaultRig.await(() -> read(client, buffered).statusCode().isGood(), 30, "SamplesBuffered Good again");
                    assertThat(read(client, riskLevel).statusCode().getValue()).as("still no model, still no judgement")
                            .isEqualTo(StatusCodes.Bad_WaitingForInitialData);
                    assertThat(connected(metricsPort)).as("wellwatch_upstream_connected after the return").isEqualTo(1.0);
                    assertThat(detector.status().last().samplesBuffered()).as("the window kept its samples").isGreaterThanOrEqualTo(window);
                    assertThat(app.server().isRunning()).isTrue();
                    LOG.info("PLC restart: Bad_NoCommunication {} s after the PLC stopped; first sample {} s after it was"
                            + " back (outage {} s, upstream backoff 1-16 s); window {} samples before, {} after",
                            String.format("%.1f", lostAfter), String.format("%.1f", reconnect),
                            String.format("%.1f", (back - stopped) / 1e9), window, detector.status().last().samplesBuffered());
                } finally {
                    client.disconnect();
                }
            }
        }
    }

    private static double connected(int metricsPort) {
        return FaultRig.value(FaultRig.scrape(metricsPort), "wellwatch_upstream_connected", "well=\"" + WELL + "\"");
    }

    private static DataValue read(OpcUaClient client, NodeId node) {
        try {
            return client.read(0, TimestampsToReturn.Both,
                    List.of(new ReadValueId(node, AttributeId.Value.uid(), null, QualifiedName.NULL_VALUE))).getResults()[0];
        } catch (Exception e) {
            throw new AssertionError("read " + node, e);
        }
    }
}
