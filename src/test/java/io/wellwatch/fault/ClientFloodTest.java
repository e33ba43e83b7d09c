package io.wellwatch.fault;

import io.wellwatch.config.ServerConfig;
import io.wellwatch.config.ServerLimits;
import io.wellwatch.server.WellWatchServer;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DeadbandType;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MonitoringMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.ContentFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.EventFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.MonitoredItemCreateRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.MonitoringParameters;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.SimpleAttributeOperand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * A flood of client requests against the configured {@link ServerLimits}, through real Milo clients
 * over 127.0.0.1: each excess is refused with its OPC UA status code, what is within the limits
 * keeps working, and the server serves new clients afterwards.
 */
class ClientFloodTest {

    private static final ServerLimits LIMITS = ServerLimits.of(3, 2, 5, 10, 10, 5, 5, 1 << 20);
    private static final String WELL = "WELL-00001";

    @TempDir
    Path pki;

    private WellWatchServer server;
    private final List<OpcUaClient> clients = new ArrayList<>();

    @AfterEach
    void tearDown() {
        for (OpcUaClient c : clients) {
            try {
                c.disconnect();
            } catch (UaException | RuntimeException e) {
                // already refused or gone
            }
        }
        if (server != null) {
            server.close();
        }
    }

    private OpcUaClient connect() throws UaException {
        OpcUaClient c = OpcUaClient.create(server.endpointUrl());
        clients.add(c);
        c.connect();
        return c;
    }

    private static long statusOf(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UaException ua) {
                return ua.getStatusCode().getValue();
            }
        }
        throw new AssertionError("no OPC UA status in " + t, t);
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void requestsBeyondTheLimitsAreRefusedWithTheirStatusCodesAndTheServerServesOn() throws Exception {
        server = new WellWatchServer(new ServerConfig("127.0.0.1", FaultRig.freePort(), "/wellwatch", "127.0.0.1", LIMITS), pki);
        server.addWell(WELL, 60);
        server.start();

        // Sessions: the limit's worth connect, one more is refused.
        OpcUaClient c = connect();
        connect();
        connect();
        UaException tooManySessions = catchThrowableOfType(UaException.class, this::connect);
        assertThat(statusOf(tooManySessions)).as(StatusCodes.class.getSimpleName()).isEqualTo(StatusCodes.Bad_TooManySessions);

        // Reads and browses: up to the limit answered, one node more is refused as a whole.
        List<ReadValueId> reads = new ArrayList<>();
        for (int i = 0; i < LIMITS.maxNodesPerRead(); i++) {
            reads.add(new ReadValueId(NodeIds.Server_ServerStatus_CurrentTime, AttributeId.Value.uid(), null, QualifiedName.NULL_VALUE));
        }
        assertThat(c.read(0, TimestampsToReturn.Neither, reads).getResults()).hasSize(LIMITS.maxNodesPerRead());
        reads.add(reads.get(0));
        assertThat(statusOf(catchThrowableOfType(UaException.class, () -> c.read(0, TimestampsToReturn.Neither, reads))))
                .isEqualTo(StatusCodes.Bad_TooManyOperations);
        List<BrowseDescription> browses = Collections.nCopies(LIMITS.maxNodesPerBrowse() + 1,
                new BrowseDescription(NodeIds.ObjectsFolder, BrowseDirection.Forward, NodeIds.HierarchicalReferences, true,
                        uint(0), uint(BrowseResultMask.All.getValue())));
        assertThat(statusOf(catchThrowableOfType(UaException.class, () -> c.browse(browses))))
                .isEqualTo(StatusCodes.Bad_TooManyOperations);

        // Invalid NodeIds: answered per node, the rest of the request is served.
        NodeId unknown = new NodeId(1, "WellWatch/Wells/NO-SUCH-WELL/RiskLevel");
        var mixed = c.read(0, TimestampsToReturn.Neither, List.of(
                new ReadValueId(unknown, AttributeId.Value.uid(), null, QualifiedName.NULL_VALUE),
                new ReadValueId(NodeIds.Server_ServerStatus_State, AttributeId.Value.uid(), null, QualifiedName.NULL_VALUE)));
        assertThat(mixed.getResults()[0].statusCode().getValue()).isEqualTo(StatusCodes.Bad_NodeIdUnknown);
        assertThat(mixed.getResults()[1].statusCode().isGood()).isTrue();

        // Subscriptions: the limit per session, then refused.
        List<UInteger> subs = new ArrayList<>();
        for (int i = 0; i < LIMITS.maxSubscriptionsPerSession(); i++) {
            subs.add(c.createSubscription(100.0, uint(100), uint(10), uint(0), true, ubyte(0)).getSubscriptionId());
        }
        assertThat(statusOf(catchThrowableOfType(UaException.class,
                () -> c.createSubscription(100.0, uint(100), uint(10), uint(0), true, ubyte(0)))))
                .isEqualTo(StatusCodes.Bad_TooManySubscriptions);

        // Monitored items: the limit per session, the excess items refused one by one.
        List<MonitoredItemCreateRequest> items = new ArrayList<>();
        for (int i = 0; i < LIMITS.maxMonitoredItemsPerSession() + 2; i++) {
            items.add(valueItem(NodeIds.Server_ServerStatus_CurrentTime, i, dataChange(c)));
        }
        StatusCode[] created = java.util.Arrays.stream(c.createMonitoredItems(subs.get(0), TimestampsToReturn.Both, items)
                .getResults()).map(r -> r.getStatusCode()).toArray(StatusCode[]::new);
        assertThat(java.util.Arrays.stream(created).filter(StatusCode::isGood)).hasSize(LIMITS.maxMonitoredItemsPerSession());
        assertThat(java.util.Arrays.stream(created).filter(s -> !s.isGood()).map(StatusCode::getValue))
                .containsOnly(StatusCodes.Bad_TooManyMonitoredItems);

        // Invalid filters (on another session: this one is full): an event filter on a value, a data-change filter on events.
        OpcUaClient other = clients.get(1);
        UInteger sub2 = other.createSubscription(100.0, uint(100), uint(10), uint(0), true, ubyte(0)).getSubscriptionId();
        EventFilter events = new EventFilter(new SimpleAttributeOperand[]{new SimpleAttributeOperand(
                NodeIds.BaseEventType, new QualifiedName[]{new QualifiedName(0, "Message")}, AttributeId.Value.uid(), null)},
                new ContentFilter(null));
        var filters = other.createMonitoredItems(sub2, TimestampsToReturn.Both, List.of(
                valueItem(NodeIds.Server_ServerStatus_CurrentTime, 1, ExtensionObject.encode(other.getStaticEncodingContext(), events)),
                new MonitoredItemCreateRequest(new ReadValueId(NodeIds.Server, AttributeId.EventNotifier.uid(), null, QualifiedName.NULL_VALUE),
                        MonitoringMode.Reporting, new MonitoringParameters(uint(2), 0.0, dataChange(other), uint(10), true))))
                .getResults();
        assertThat(filters[0].getStatusCode().getValue()).as("event filter on a Value").isEqualTo(StatusCodes.Bad_FilterNotAllowed);
        assertThat(filters[1].getStatusCode().getValue()).as("data-change filter on events").isEqualTo(StatusCodes.Bad_FilterNotAllowed);

        // An oversized request (a 1.5 MB index range against a 1 MiB message limit) is refused...
        String huge = "0:" + "1".repeat(1_500_000);
        Throwable tooLarge = catchThrowableOfType(UaException.class, () -> other.read(0, TimestampsToReturn.Neither,
                List.of(new ReadValueId(NodeIds.Server_ServerStatus_State, AttributeId.Value.uid(), huge, QualifiedName.NULL_VALUE))));
        assertThat(statusOf(tooLarge)).isIn(StatusCodes.Bad_RequestTooLarge, StatusCodes.Bad_TcpMessageTooLarge,
                StatusCodes.Bad_EncodingLimitsExceeded);

        // ...and after the flood the server still serves: close the sessions and a new client reads.
        for (OpcUaClient old : clients) {
            try {
                old.disconnect();
            } catch (UaException | RuntimeException e) {
                // refused ones
            }
        }
        clients.clear();
        OpcUaClient fresh = connect();
        assertThat(fresh.read(0, TimestampsToReturn.Neither, List.of(new ReadValueId(NodeIds.Server_ServerStatus_State,
                AttributeId.Value.uid(), null, QualifiedName.NULL_VALUE))).getResults()[0].statusCode().isGood()).isTrue();
    }

    private static ExtensionObject dataChange(OpcUaClient client) {
        return ExtensionObject.encode(client.getStaticEncodingContext(),
                new DataChangeFilter(DataChangeTrigger.StatusValue, uint(DeadbandType.None.getValue()), 0.0));
    }

    private static MonitoredItemCreateRequest valueItem(NodeId node, int handle, ExtensionObject filter) {
        return new MonitoredItemCreateRequest(new ReadValueId(node, AttributeId.Value.uid(), null, QualifiedName.NULL_VALUE),
                MonitoringMode.Reporting, new MonitoringParameters(uint(handle), 100.0, filter, uint(1), true));
    }
}
