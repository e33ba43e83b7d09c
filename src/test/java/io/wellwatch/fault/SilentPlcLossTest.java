package io.wellwatch.fault;

import io.wellwatch.app.WellWatchApp;
import io.wellwatch.config.AppConfig;
import io.wellwatch.config.ConfigLoader;
import io.wellwatch.config.UpstreamConfig;
import io.wellwatch.core.Assessment;
import io.wellwatch.core.DataState;
import io.wellwatch.core.RiskLevel;
import io.wellwatch.core.WellDetector;
import io.wellwatch.server.WellWatchModel;
import io.wellwatch.sim.PlcSimulator;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowsePath;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowsePathResult;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.RelativePath;
import org.eclipse.milo.opcua.stack.core.types.structured.RelativePathElement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.wellwatch.fault.FaultRig.WELL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PLC vanishes silently (cable pulled, power cut, switch down): WellWatch reaches the simulator
 * through a {@link BlackHoleRelay}, which at some point stops carrying bytes without closing
 * anything, so no FIN or RST ever arrives and only the session keep-alive can notice. The well's
 * variables must turn Bad_NoCommunication within the bound the configured keep-alive gives
 * ({@link UpstreamConfig#detectionBoundMs()} plus a margin for the report to reach the server and
 * the test's reads), no sample may be counted while the relay is silent, an active AnomalyAlarm
 * stays active with quality Bad_NoCommunication, and once the relay carries bytes again data flows
 * without a restart and the training window kept its samples. Prints detection and recovery times.
 *
 * <p>The alarm: the normal 3W instance replayed here never raises one, so the test raises it
 * itself by handing the server's listener {@code raiseSamples} High assessments (as
 * {@code server.AnomalyAlarmTest} does), right after the relay went silent and the detector went
 * quiet, so no real assessment interleaves with them. From WellWatch's side the alarm is then
 * active before it learns that the PLC is lost, which is the transition under test.
 */
class SilentPlcLossTest {

    private static final Logger LOG = LogManager.getLogger(SilentPlcLossTest.class);
    /** For the loss to travel from the session to the server's variables, and for the 100 ms polling. */
    private static final long MARGIN_MS = 2000;
    /**
     * Samples that may still be counted after the relay went silent: one from readings already
     * delivered and waiting for the next tick, one from bytes the relay had already read.
     */
    private static final int IN_FLIGHT_SAMPLES = 2;

    @TempDir
    Path work;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void silentPlcIsNoticedByTheKeepAliveAndDataFlowsAgainWithoutRestart() throws Exception {
        int plcPort = FaultRig.freePort();
        try (PlcSimulator plc = new PlcSimulator(FaultRig.simulator(plcPort, 20, "none"));
             BlackHoleRelay relay = new BlackHoleRelay(plcPort)) {
            plc.start();
            AppConfig config = ConfigLoader.parse(FaultRig.config(FaultRig.freePort(), 0, relay.port(),
                    work.resolve("models"), null, 50, ""), "silent.yaml", work);
            UpstreamConfig keepAlive = config.upstream();
            long boundMs = keepAlive.detectionBoundMs() + MARGIN_MS;
            int raise = config.wells().get(0).detector().raiseSamples();
            try (WellWatchApp app = WellWatchApp.start(config, work.resolve("pki"), List.of())) {
                WellDetector detector = app.detector(WELL);
                OpcUaClient client = OpcUaClient.create(app.endpointUrl());
                client.connect();
                try {
                    int ns = client.getNamespaceTable().getIndex(WellWatchModel.NAMESPACE_URI).intValue();
                    NodeId riskLevel = new NodeId(ns, "WellWatch/Wells/" + WELL + "/RiskLevel");
                    NodeId buffered = new NodeId(ns, "WellWatch/Wells/" + WELL + "/SamplesBuffered");
                    NodeId alarm = new NodeId(ns, WellWatchModel.anomalyAlarmId(WELL));
                    NodeId alarmActive = child(client, alarm, "ActiveState", "Id");
                    NodeId alarmQuality = child(client, alarm, "Quality");
                    FaultRig.await(() -> detector.status().last() != null && detector.status().last().samplesBuffered() >= 20,
                            60, "20 samples in the window");
                    assertThat(read(client, buffered).statusCode().isGood()).isTrue();
                    assertThat(read(client, alarmActive).value().value()).as("no alarm on normal data").isEqualTo(false);

                    relay.blackHole();
                    long cut = System.nanoTime();
                    long atCut = FaultRig.processed(detector.status());
                    awaitQuiet(detector, 300);
                    long quiet = FaultRig.processed(detector.status());

                    // An alarm that is active when the loss is noticed.
                    Assessment last = detector.status().last();
                    for (int i = 0; i < raise; i++) {
                        Instant t = Instant.now();
                        app.server().listener().onAssessment(new Assessment(WELL, t, DataState.ANALYZING, RiskLevel.HIGH,
                                0.9, 0.1, last.modelVersion(), last.valveState(), last.samplesBuffered(),
                                last.windowSize(), last.lastTrainedTime(), "T-TPT"));
                    }
                    assertThat(read(client, alarmActive).value().value()).as("alarm raised").isEqualTo(true);
                    boolean noticedBeforeAlarm = read(client, riskLevel).statusCode().getValue() == StatusCodes.Bad_NoCommunication;

                    FaultRig.await(() -> read(client, riskLevel).statusCode().getValue() == StatusCodes.Bad_NoCommunication,
                            30, "RiskLevel Bad_NoCommunication");
                    double lostAfter = (System.nanoTime() - cut) / 1e9;
                    assertThat(lostAfter * 1000).as("silent loss noticed within the keep-alive bound + %d ms"
                            + " (interval %d ms, timeout %d ms, %d failures allowed)", MARGIN_MS,
                            keepAlive.keepAliveIntervalMs(), keepAlive.keepAliveTimeoutMs(),
                            keepAlive.keepAliveFailuresAllowed()).isLessThanOrEqualTo(boundMs);
                    assertThat(noticedBeforeAlarm).as("the alarm was raised before the loss was noticed").isFalse();
                    long atLoss = FaultRig.processed(detector.status());
                    assertThat(atLoss - atCut).as("samples counted after the relay went silent")
                            .isLessThanOrEqualTo(IN_FLIGHT_SAMPLES);
                    assertThat(atLoss).as("no sample between going quiet and the loss being noticed").isEqualTo(quiet);
                    int window = detector.status().last().samplesBuffered();

                    Thread.sleep(3000); // the PLC stays silent: no sample may appear
                    assertThat(FaultRig.processed(detector.status())).as("no samples invented while the PLC is silent")
                            .isEqualTo(atLoss);
                    assertThat(read(client, buffered).statusCode().getValue()).isEqualTo(StatusCodes.Bad_NoCommunication);
                    assertThat(read(client, alarmActive).value().value()).as("missing data does not clear the alarm")
                            .isEqualTo(true);
                    assertThat(read(client, alarmQuality).value().value()).as("alarm quality")
                            .isEqualTo(new StatusCode(StatusCodes.Bad_NoCommunication));
                    int connectionsDuringLoss = relay.accepted();

                    relay.restore();
                    long back = System.nanoTime();
                    FaultRig.await(() -> FaultRig.processed(detector.status()) > atLoss, 60, "samples after the relay carries bytes again");
                    double recovered = (System.nanoTime() - back) / 1e9;
                    FaultRig.await(() -> read(client, buffered).statusCode().isGood(), 30, "SamplesBuffered Good again");
                    // No model judges yet, so RiskLevel holds the injected judgement instead of turning Good.
                    assertThat(read(client, riskLevel).statusCode().getValue()).isEqualTo(StatusCodes.Uncertain_LastUsableValue);
                    FaultRig.await(() -> StatusCode.GOOD.equals(read(client, alarmQuality).value().value()), 30, "alarm quality Good");
                    assertThat(detector.status().last().samplesBuffered()).as("the window kept its samples")
                            .isGreaterThanOrEqualTo(window);
                    assertThat(relay.accepted()).as("the client reconnected through the relay")
                            .isGreaterThan(connectionsDuringLoss);
                    assertThat(app.server().isRunning()).isTrue();
                    LOG.info("Silent PLC loss: Bad_NoCommunication {} s after the relay went silent (bound {} s: keep-alive"
                                    + " every {} ms, timeout {} ms, {} failures allowed, + {} s margin); {} sample(s) after"
                                    + " the cut, none after; first sample {} s after it carried bytes again (silent {} s);"
                                    + " alarm stayed active; window {} samples before, {} after; {} TCP connection(s)"
                                    + " through the relay",
                            String.format("%.1f", lostAfter), String.format("%.1f", boundMs / 1000.0),
                            keepAlive.keepAliveIntervalMs(), keepAlive.keepAliveTimeoutMs(),
                            keepAlive.keepAliveFailuresAllowed(), MARGIN_MS / 1000, atLoss - atCut,
                            String.format("%.1f", recovered), String.format("%.1f", (back - cut) / 1e9), window,
                            detector.status().last().samplesBuffered(), relay.accepted());
                } finally {
                    client.disconnect();
                }
            }
        }
    }

    /** Waits until the detector has counted no sample for {@code quietMs}. */
    private static void awaitQuiet(WellDetector detector, long quietMs) throws InterruptedException {
        long count = FaultRig.processed(detector.status());
        long since = System.nanoTime();
        while (System.nanoTime() - since < TimeUnit.MILLISECONDS.toNanos(quietMs)) {
            Thread.sleep(20);
            long now = FaultRig.processed(detector.status());
            if (now != count) {
                count = now;
                since = System.nanoTime();
            }
        }
    }

    /** The node at a browse path below {@code start} (standard browse names, hierarchical references). */
    private static NodeId child(OpcUaClient client, NodeId start, String... names) throws Exception {
        RelativePathElement[] elements = new RelativePathElement[names.length];
        for (int i = 0; i < names.length; i++) {
            elements[i] = new RelativePathElement(NodeIds.HierarchicalReferences, false, true, new QualifiedName(0, names[i]));
        }
        BrowsePathResult result = client.translateBrowsePaths(List.of(new BrowsePath(start, new RelativePath(elements))))
                .getResults()[0];
        assertThat(result.getStatusCode().isGood()).as("browse path %s", String.join("/", names)).isTrue();
        return result.getTargets()[0].getTargetId().toNodeId(client.getNamespaceTable()).orElseThrow();
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
