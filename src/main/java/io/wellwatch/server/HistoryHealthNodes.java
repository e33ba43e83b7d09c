package io.wellwatch.server;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ulong;

import java.util.EnumSet;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import io.wellwatch.history.HistoryHealth;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.ValueRanks;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaNodeContext;
import org.eclipse.milo.opcua.sdk.server.nodes.UaObjectNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.nodes.filters.AttributeFilters;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

/**
 * {@code Objects/WellWatch/History}: the history store's health as read-only variables, so that plant
 * IT can watch (or alarm on) lost history with any OPC UA client. An addition to the information
 * model; NodeIds {@code nsu=urn:wellwatch:anomaly;s=WellWatch/History/<Name>}.
 *
 * <p>Values are read from the store when a client reads or samples them (Milo's value filter), so
 * nothing polls the store.
 */
final class HistoryHealthNodes {

    static final String HISTORY = "History";

    /** One variable: BrowseName, DataType, what it means, and its value from a {@link HistoryHealth}. */
    record Variable(String name, NodeId dataType, String description, Function<HistoryHealth, Variant> value) {
    }

    static final List<Variable> VARIABLES = List.of(
            new Variable("Recording", NodeIds.Boolean,
                    "A history database is open: false when history is disabled or its database could not be opened",
                    h -> Variant.ofBoolean(h.recording())),
            new Variable("Healthy", NodeIds.Boolean,
                    "Recording, and no row lost since the latest successful write",
                    h -> Variant.ofBoolean(h.healthy())),
            new Variable("Database", NodeIds.String, "JDBC URL of the history database (without its query part)",
                    h -> Variant.ofString(h.database())),
            new Variable("RowsWritten", NodeIds.UInt64, "Rows (values and events) written since the start",
                    h -> Variant.ofUInt64(ulong(h.rowsWritten()))),
            new Variable("RowsDropped", NodeIds.UInt64,
                    "Rows lost since the start: queue full, or their batch could not be written",
                    h -> Variant.ofUInt64(ulong(h.rowsDropped()))),
            new Variable("WriteFailures", NodeIds.UInt64, "Batches that could not be written since the start",
                    h -> Variant.ofUInt64(ulong(h.writeFailures()))),
            new Variable("QueueDepth", NodeIds.UInt32, "Rows waiting for the history writer",
                    h -> Variant.ofUInt32(uint(h.queueDepth()))),
            new Variable("LastWriteError", NodeIds.String, "The latest write problem, empty if none",
                    h -> Variant.ofString(h.lastWriteError())),
            new Variable("LastSuccessfulWrite", NodeIds.DateTime,
                    "When rows were last written (MinDateTime if never)",
                    h -> Variant.ofDateTime(h.lastSuccessfulWrite() == null ? DateTime.MIN_VALUE
                            : new DateTime(h.lastSuccessfulWrite()))));

    private HistoryHealthNodes() {
    }

    static String objectId(String wellWatchFolderId) {
        return wellWatchFolderId + "/" + HISTORY;
    }

    /** Adds the History object under the WellWatch folder, its variables reading {@code health}. */
    static UaObjectNode add(UaNodeContext context, UaFolderNode wellWatch, Function<String, NodeId> nodeId,
                            Function<String, QualifiedName> name, Supplier<HistoryHealth> health) {
        String objectId = objectId(WellWatchModel.wellWatchFolderId());
        UaObjectNode object = new UaObjectNode.UaObjectNodeBuilder(context)
                .setNodeId(nodeId.apply(objectId))
                .setBrowseName(name.apply(HISTORY))
                .setDisplayName(LocalizedText.english(HISTORY))
                .setDescription(LocalizedText.english("Health of the history store behind HistoryRead"))
                .setTypeDefinition(NodeIds.BaseObjectType)
                .build();
        context.getNodeManager().addNode(object);
        wellWatch.addComponent(object);
        EnumSet<AccessLevel> readOnly = EnumSet.of(AccessLevel.CurrentRead);
        for (Variable v : VARIABLES) {
            UaVariableNode node = new UaVariableNode.UaVariableNodeBuilder(context)
                    .setNodeId(nodeId.apply(objectId + "/" + v.name()))
                    .setBrowseName(name.apply(v.name()))
                    .setDisplayName(LocalizedText.english(v.name()))
                    .setDescription(LocalizedText.english(v.description()))
                    .setWriteMask(uint(0))
                    .setUserWriteMask(uint(0))
                    .setDataType(v.dataType())
                    .setValueRank(ValueRanks.Scalar)
                    .setAccessLevel(readOnly)
                    .setUserAccessLevel(readOnly)
                    .setTypeDefinition(NodeIds.BaseDataVariableType)
                    .build();
            node.getFilterChain().addLast(AttributeFilters.getValue(ctx -> {
                DateTime now = DateTime.now();
                return new DataValue(v.value().apply(health.get()), StatusCode.GOOD, now, now);
            }));
            context.getNodeManager().addNode(node);
            object.addComponent(node);
        }
        return object;
    }
}
