package io.wellwatch.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.List;

import io.wellwatch.config.ServerConfig;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;

/** Small helpers for tests that talk to a real server through a real Milo client. */
final class UaTestSupport {

    private UaTestSupport() {
    }

    /** A TCP port that was free a moment ago on the loopback interface. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    static ServerConfig loopbackConfig(int port) {
        return new ServerConfig("127.0.0.1", port, "/wellwatch", "127.0.0.1");
    }

    static OpcUaClient connect(String endpointUrl) throws UaException {
        OpcUaClient client = OpcUaClient.create(endpointUrl);
        client.connect();
        return client;
    }

    static List<ReferenceDescription> browse(OpcUaClient client, NodeId node, NodeId referenceType,
                                             BrowseDirection direction) throws UaException {
        BrowseResult result = client.browse(new BrowseDescription(node, direction, referenceType, true,
                uint(0), uint(BrowseResultMask.All.getValue())));
        assertThat(result.getStatusCode().isGood()).as("browse %s", node).isTrue();
        ReferenceDescription[] references = result.getReferences();
        return references == null ? List.of() : Arrays.asList(references);
    }

    /** The target of the forward reference of the given type whose BrowseName is {@code name}. */
    static NodeId child(OpcUaClient client, NodeId parent, NodeId referenceType, QualifiedName name)
            throws UaException {
        return browse(client, parent, referenceType, BrowseDirection.Forward).stream()
                .filter(r -> r.getBrowseName().equals(name))
                .map(r -> r.getNodeId().toNodeId(client.getNamespaceTable()).orElseThrow())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no child " + name + " under " + parent));
    }

    /** Disconnects the client, then closes the rest in order (server, store); nulls are skipped, failures ignored. */
    static void closeQuietly(OpcUaClient client, AutoCloseable... others) {
        if (client != null) {
            try {
                client.disconnect();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
        for (AutoCloseable c : others) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing anyway
                }
            }
        }
    }

    static DataValue read(OpcUaClient client, NodeId node, AttributeId attribute) throws UaException {
        return client.read(0, TimestampsToReturn.Both,
                List.of(new ReadValueId(node, attribute.uid(), null, QualifiedName.NULL_VALUE))).getResults()[0];
    }

    static Object readAttribute(OpcUaClient client, NodeId node, AttributeId attribute) throws UaException {
        DataValue value = read(client, node, attribute);
        assertThat(value.statusCode().isGood()).as("read %s of %s: %s", attribute, node, value).isTrue();
        return value.value().value();
    }
}
