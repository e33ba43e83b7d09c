package io.wellwatch.sim;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.core.ValueRanks;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.nodes.AttributeObserver;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The simulator's address space: one folder per well under Objects, one variable per tag.
 *
 * <p>Value subscriptions on the tag variables are exception-based: an observer on the variable
 * pushes every new DataValue straight into the monitored item, so a client sees each replayed row
 * (subject to its queue size) however fast the replay runs, and no polling timer is involved.
 * Anything else a client may monitor (e.g. an attribute of a folder) falls back to Milo's polling
 * {@link SubscriptionModel}.
 */
final class SimulatorNamespace extends ManagedNamespaceWithLifecycle {

    private static final Logger LOG = LogManager.getLogger(SimulatorNamespace.class);

    /** What a tag variable is created with. */
    record TagSpec(String name, NodeId dataType, DataValue initialValue) {
    }

    /** The variables of one well, in the order of the specs given to {@link #addWell}. */
    record WellNodes(UaFolderNode folder, List<UaVariableNode> tags) {
    }

    private final SubscriptionModel pollingModel;
    private final Map<NodeId, UaVariableNode> tagNodes = new ConcurrentHashMap<>();
    private final Map<DataItem, Binding> bindings = new ConcurrentHashMap<>();

    SimulatorNamespace(OpcUaServer server, String namespaceUri) {
        super(server, namespaceUri);
        pollingModel = new SubscriptionModel(server, this);
        getLifecycleManager().addLifecycle(pollingModel);
    }

    /** NodeId of a well folder: the string {@code <wellId>} in this namespace. */
    NodeId folderId(String wellId) {
        return newNodeId(wellId);
    }

    /** NodeId of a tag: the string {@code <wellId>/<tag>} in this namespace. */
    NodeId tagId(String wellId, String tag) {
        return newNodeId(wellId + "/" + tag);
    }

    /** Creates the folder of a well (organized by Objects) and its tag variables. */
    WellNodes addWell(String wellId, List<TagSpec> specs) {
        UaFolderNode folder = new UaFolderNode(
                getNodeContext(), folderId(wellId), newQualifiedName(wellId), LocalizedText.english(wellId));
        getNodeManager().addNode(folder);
        folder.addReference(new Reference(
                folder.getNodeId(), NodeIds.Organizes, NodeIds.ObjectsFolder.expanded(), Reference.Direction.INVERSE));

        List<UaVariableNode> nodes = new ArrayList<>(specs.size());
        for (TagSpec spec : specs) {
            UaVariableNode node = new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
                    .setNodeId(tagId(wellId, spec.name()))
                    .setBrowseName(newQualifiedName(spec.name()))
                    .setDisplayName(LocalizedText.english(spec.name()))
                    .setDataType(spec.dataType())
                    .setTypeDefinition(NodeIds.BaseDataVariableType)
                    .setValueRank(ValueRanks.Scalar)
                    .setAccessLevel(AccessLevel.READ_ONLY)
                    .setUserAccessLevel(AccessLevel.READ_ONLY)
                    // 0 = the server reports changes as they happen (exception-based)
                    .setMinimumSamplingInterval(0.0)
                    .setValue(spec.initialValue())
                    .build();
            getNodeManager().addNode(node);
            folder.addOrganizes(node);
            tagNodes.put(node.getNodeId(), node);
            nodes.add(node);
        }
        return new WellNodes(folder, List.copyOf(nodes));
    }

    @Override
    public void onDataItemsCreated(List<DataItem> dataItems) {
        List<DataItem> polled = new ArrayList<>();
        for (DataItem item : dataItems) {
            UaVariableNode node = observableNode(item);
            if (node == null) {
                polled.add(item);
                continue;
            }
            Binding binding = new Binding(item, node);
            bindings.put(item, binding);
            node.addAttributeObserver(binding);
            binding.pushCurrent();
        }
        if (!polled.isEmpty()) {
            pollingModel.onDataItemsCreated(polled);
        }
    }

    @Override
    public void onDataItemsModified(List<DataItem> dataItems) {
        List<DataItem> polled = dataItems.stream().filter(i -> !bindings.containsKey(i)).toList();
        if (!polled.isEmpty()) {
            pollingModel.onDataItemsModified(polled);
        }
        // Bound items ignore the sampling interval: every change is pushed as it happens.
    }

    @Override
    public void onDataItemsDeleted(List<DataItem> dataItems) {
        List<DataItem> polled = new ArrayList<>();
        for (DataItem item : dataItems) {
            Binding binding = bindings.remove(item);
            if (binding != null) {
                binding.node.removeAttributeObserver(binding);
            } else {
                polled.add(item);
            }
        }
        if (!polled.isEmpty()) {
            pollingModel.onDataItemsDeleted(polled);
        }
    }

    @Override
    public void onMonitoringModeChanged(List<MonitoredItem> monitoredItems) {
        List<MonitoredItem> polled = new ArrayList<>();
        for (MonitoredItem item : monitoredItems) {
            Binding binding = item instanceof DataItem d ? bindings.get(d) : null;
            if (binding != null) {
                binding.pushCurrent(); // re-enabled items report the current value at once
            } else {
                polled.add(item);
            }
        }
        if (!polled.isEmpty()) {
            pollingModel.onMonitoringModeChanged(polled);
        }
    }

    /** The tag variable an item watches the Value of, or null when the item needs polling. */
    private UaVariableNode observableNode(DataItem item) {
        if (!AttributeId.Value.isEqual(item.getReadValueId().getAttributeId())) {
            return null;
        }
        String indexRange = item.getReadValueId().getIndexRange();
        if (indexRange != null && !indexRange.isEmpty()) {
            return null; // scalars only; let the generic path report the error
        }
        return tagNodes.get(item.getReadValueId().getNodeId());
    }

    /** Feeds one monitored item from the Value changes of one variable. */
    private static final class Binding implements AttributeObserver {
        private final DataItem item;
        private final UaVariableNode node;

        Binding(DataItem item, UaVariableNode node) {
            this.item = item;
            this.node = node;
        }

        @Override
        public void attributeChanged(UaNode changed, AttributeId attributeId, Object value) {
            if (attributeId == AttributeId.Value && value instanceof DataValue dv) {
                push(dv);
            }
        }

        void pushCurrent() {
            push(node.getValue());
        }

        private void push(DataValue value) {
            if (!item.isSamplingEnabled()) {
                return;
            }
            try {
                TimestampsToReturn ttr = item.getTimestampsToReturn();
                item.setValue(ttr == null ? value : DataValue.derivedValue(value, ttr));
            } catch (RuntimeException e) {
                LOG.warn("Could not deliver {} to monitored item {}: {}", node.getNodeId(), item.getId(), e.toString());
            }
        }
    }
}
