package io.wellwatch.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.wellwatch.config.DetectorConfig;
import io.wellwatch.config.DetectorSettings;
import io.wellwatch.config.SensorConfig;
import io.wellwatch.config.WellConfig;
import io.wellwatch.core.RawSample;
import io.wellwatch.core.TagReading;
import io.wellwatch.core.WellDetector;
import io.wellwatch.model.Dl4jForecasterFactory;
import io.wellwatch.model.FileModelStore;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.ContentFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.EventFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.SimpleAttributeOperand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Retrain method end to end: a real WellDetector with a real FileModelStore and DL4J
 * training (tiny network, 2 epochs), the real server, a real Milo client.
 */
class RetrainMethodTest {

    private static final String WELL = "WELL-RETRAIN";

    @Test
    void retrainIsRefusedWithTooFewSamplesThenTrainsAndRaisesModelRetrained(@TempDir Path tmp) throws Exception {
        // retrainInterval far away: only the Retrain method trains.
        DetectorConfig detector = DetectorSettings.of("{windowSize: 60, retrainInterval: 100000,"
                + " minTrainingSamples: 40, lookback: 5, lstmUnits: 8, epochs: 2, batchSize: 16, learningRate: 0.01,"
                + " lossWindow: 5, seed: 7}");
        WellConfig well = WellConfig.of(WELL, "opc.tcp://127.0.0.1:1/plc", 1000L, 0L,
                List.of(new SensorConfig("P", "ns=2;s=P", -1e6, 1e6, 1.0),
                        new SensorConfig("T", "ns=2;s=T", -1e6, 1e6, 1.0)),
                List.of(), detector);

        ExecutorService training = Executors.newSingleThreadExecutor();
        WellWatchServer server = new WellWatchServer(UaTestSupport.loopbackConfig(UaTestSupport.freePort()),
                tmp.resolve("pki"));
        Dl4jForecasterFactory factory = new Dl4jForecasterFactory();
        WellDetector wellDetector = new WellDetector(well, factory, new FileModelStore(tmp.resolve("models"), factory),
                training, server.listener(), Clock.systemUTC());
        server.addWell(WELL, detector);
        server.setRetrainRequester(id -> wellDetector.requestRetrain());
        server.start();
        OpcUaClient client = UaTestSupport.connect(server.endpointUrl());
        try {
            int ns = client.readNamespaceTable().getIndex(WellWatchModel.NAMESPACE_URI).intValue();
            NodeId wellNode = new NodeId(ns, "WellWatch/Wells/" + WELL);
            NodeId retrain = new NodeId(ns, "WellWatch/Wells/" + WELL + "/Retrain");
            NodeId retrainDeclaration = new NodeId(ns, "Types/WellAnomalyType/Retrain");
            assertThat(UaTestSupport.readAttribute(client, retrain, AttributeId.Executable)).isEqualTo(true);
            assertThat(UaTestSupport.readAttribute(client, retrain, AttributeId.UserExecutable)).isEqualTo(true);

            BlockingQueue<Variant[]> events = new LinkedBlockingQueue<>();
            NodeId eventType = new NodeId(ns, "Types/ModelRetrainedEventType");
            OpcUaSubscription subscription = new OpcUaSubscription(client, 50.0);
            subscription.create();
            OpcUaMonitoredItem item = OpcUaMonitoredItem.newEventItem(NodeIds.Server, new EventFilter(
                    new SimpleAttributeOperand[]{
                            operand(NodeIds.BaseEventType, new QualifiedName(0, "EventType")),
                            operand(NodeIds.BaseEventType, new QualifiedName(0, "SourceNode")),
                            operand(NodeIds.BaseEventType, new QualifiedName(0, "Severity")),
                            operand(eventType, new QualifiedName(ns, "ModelVersion")),
                            operand(eventType, new QualifiedName(ns, "SampleCount"))},
                    new ContentFilter(null)));
            item.setQueueSize(uint(100));
            item.setEventValueListener((i, fields) -> {
                if (eventType.equals(fields[0].value())) {
                    events.add(fields);
                }
            });
            subscription.addMonitoredItem(item);
            subscription.synchronizeMonitoredItems();

            // No sample yet, then too few samples: Bad_InvalidState.
            assertThat(call(client, wellNode, retrain).value()).isEqualTo(StatusCodes.Bad_InvalidState);
            Instant t = Instant.parse("2017-02-01T02:00:00Z");
            for (int k = 0; k < 20; k++) {
                t = t.plusSeconds(1);
                wellDetector.onSample(sample(t, k));
            }
            assertThat(call(client, wellNode, retrain).value()).isEqualTo(StatusCodes.Bad_InvalidState);

            for (int k = 20; k < 50; k++) {
                t = t.plusSeconds(1);
                wellDetector.onSample(sample(t, k));
            }
            // Called as OPC UA clients often do: MethodId of the type's declaration, ObjectId the well.
            StatusCode accepted = call(client, wellNode, retrainDeclaration);
            assertThat(accepted.isGood()).as("Retrain: %s", accepted).isTrue();
            assertThat(call(client, wellNode, retrain).value()).as("a training is running")
                    .isEqualTo(StatusCodes.Bad_InvalidState);

            // The trained model goes into service (and the event is raised) at the next sample.
            Variant[] event = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            int k = 50;
            while (event == null && System.nanoTime() < deadline) {
                t = t.plusSeconds(1);
                wellDetector.onSample(sample(t, k++));
                event = events.poll(100, TimeUnit.MILLISECONDS);
            }
            assertThat(event).as("ModelRetrained event").isNotNull();
            assertThat(event[1].value()).isEqualTo(wellNode);
            assertThat(event[2].value()).isEqualTo(ushort(100));
            assertThat(event[3].value()).isEqualTo(uint(1));
            assertThat(((Number) ((org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger) event[4].value())
                    .longValue()).longValue()).isGreaterThanOrEqualTo(40);
            subscription.delete();
        } finally {
            client.disconnect();
            server.stop();
            training.shutdownNow();
        }
    }

    private static RawSample sample(Instant t, int k) {
        double p = 100 + 5 * Math.sin(k / 7.0);
        double temp = 80 + 2 * Math.cos(k / 5.0);
        return new RawSample(WELL, t, new TagReading[]{TagReading.good(p, t), TagReading.good(temp, t)},
                new TagReading[0]);
    }

    private static StatusCode call(OpcUaClient client, NodeId object, NodeId method) throws Exception {
        return client.call(List.of(new CallMethodRequest(object, method, new Variant[0])))
                .getResults()[0].getStatusCode();
    }

    private static SimpleAttributeOperand operand(NodeId type, QualifiedName name) {
        return new SimpleAttributeOperand(type, new QualifiedName[]{name}, AttributeId.Value.uid(), null);
    }
}
