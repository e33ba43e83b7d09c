package io.wellwatch.server;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import io.wellwatch.core.Assessment;
import io.wellwatch.core.DetectorListener;
import io.wellwatch.core.ModelTrained;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.EventListener;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.EventItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaObjectNode;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;

/**
 * The {@code urn:wellwatch:anomaly} namespace: the types of the information model, the
 * Objects/WellWatch/Wells tree with one WellAnomalyType object per well, and the
 * {@link DetectorListener} that keeps those objects current and raises ModelRetrained events.
 *
 * <p>Wells may be added before or after {@link #startup()}. Updates for unknown wells are
 * dropped with a warning (once per well id).
 *
 * <p>Event subscriptions: on the Server object Milo delivers every event; on WellWatch and Wells
 * this namespace delivers the events of all wells, and on a well the events whose SourceNode is
 * that well.
 */
public final class WellWatchNamespace extends ManagedNamespaceWithLifecycle implements DetectorListener {

    private static final Logger LOG = LogManager.getLogger(WellWatchNamespace.class);

    private static final UByte SUBSCRIBE_TO_EVENTS = ubyte(0x01);

    private final SubscriptionModel subscriptionModel;

    private final Map<String, WellNodes> wells = new ConcurrentHashMap<>();
    /** Wells added before startup, in order, with their window size. Guarded by {@code this}. */
    private final Map<String, Integer> pendingWells = new LinkedHashMap<>();
    private final Set<String> unknownWellsReported = ConcurrentHashMap.newKeySet();
    private final Map<EventItem, EventListener> eventRoutes = new ConcurrentHashMap<>();

    /** Set by the startup task; guarded by {@code this}. */
    private WellWatchTypes types;
    private UaFolderNode wellsFolder;
    private volatile ModelRetrainedEvents retrainedEvents;

    public WellWatchNamespace(OpcUaServer server) {
        super(server, WellWatchModel.NAMESPACE_URI);
        subscriptionModel = new SubscriptionModel(server, this);
        getLifecycleManager().addLifecycle(subscriptionModel);
        getLifecycleManager().addStartupTask(this::buildAddressSpace);
        getLifecycleManager().addShutdownTask(this::dropEventRoutes);
    }

    /**
     * Adds a well: {@code WellWatch/Wells/<wellId>}, a WellAnomalyType object with its variables.
     * Adding a well that exists already changes nothing.
     *
     * @param windowSize initial value of WindowSize (later values come from assessments)
     * @throws IllegalArgumentException if the id is blank or contains '/', or windowSize &lt; 0
     */
    public synchronized void addWell(String wellId, int windowSize) {
        WellWatchModel.requireValidWellId(wellId);
        if (windowSize < 0) {
            throw new IllegalArgumentException("windowSize must be >= 0: " + windowSize);
        }
        if (types == null) {
            pendingWells.putIfAbsent(wellId, windowSize);
        } else if (!wells.containsKey(wellId)) {
            createWell(wellId, windowSize);
        }
    }

    /** Ids of the wells in the address space (empty before startup). */
    public Set<String> wellIds() {
        return Set.copyOf(wells.keySet());
    }

    /** NodeId of a well object: {@code ns=<urn:wellwatch:anomaly>;s=WellWatch/Wells/<wellId>}. */
    public NodeId wellNodeId(String wellId) {
        return newNodeId(WellWatchModel.wellId(wellId));
    }

    /** NodeId of one of a well's variables. */
    public NodeId wellVariableNodeId(String wellId, WellVariable variable) {
        return newNodeId(WellWatchModel.wellVariableId(wellId, variable));
    }

    /** NodeId of one of the namespace's types, e.g. {@link WellWatchModel#WELL_ANOMALY_TYPE}. */
    public NodeId typeNodeId(String typeName) {
        return newNodeId(WellWatchModel.typeId(typeName));
    }

    // ---- DetectorListener ------------------------------------------------------------------

    @Override
    public void onAssessment(Assessment assessment) {
        WellNodes well = well(assessment.wellId());
        if (well != null && !well.apply(assessment, DateTime.now())) {
            LOG.trace("{}: assessment ignored while the connection is down", assessment.wellId());
        }
    }

    @Override
    public void onConnectionState(String wellId, boolean connected) {
        WellNodes well = well(wellId);
        if (well == null) {
            return;
        }
        if (connected) {
            well.connectionRestored();
            LOG.debug("{}: upstream connected, values Good again with the next sample", wellId);
        } else {
            well.connectionLost(DateTime.now());
            LOG.debug("{}: upstream not connected, values marked Bad_NoCommunication", wellId);
        }
    }

    @Override
    public void onModelTrained(ModelTrained event) {
        WellNodes well = well(event.wellId());
        ModelRetrainedEvents events = retrainedEvents;
        if (well == null || events == null) {
            return;
        }
        try {
            events.fire(event, well.object().getNodeId());
            LOG.info("{}", ModelRetrainedEvents.message(event));
        } catch (Exception e) {
            LOG.error("{}: could not raise ModelRetrained event", event.wellId(), e);
        }
    }

    private WellNodes well(String wellId) {
        WellNodes well = wellId == null ? null : wells.get(wellId);
        if (well == null && unknownWellsReported.add(String.valueOf(wellId))) {
            LOG.warn("Update for well '{}' dropped: not in the address space (addWell first)", wellId);
        }
        return well;
    }

    // ---- Address space ---------------------------------------------------------------------

    private synchronized void buildAddressSpace() {
        types = WellWatchTypes.create(getNodeContext(), getNamespaceIndex());
        retrainedEvents = new ModelRetrainedEvents(getServer(), types);

        UaFolderNode wellWatchFolder = folder(WellWatchModel.wellWatchFolderId(), WellWatchModel.WELL_WATCH);
        wellWatchFolder.addReference(new Reference(wellWatchFolder.getNodeId(), NodeIds.Organizes,
                NodeIds.ObjectsFolder.expanded(), false));
        wellWatchFolder.addReference(new Reference(wellWatchFolder.getNodeId(), NodeIds.HasNotifier,
                NodeIds.Server.expanded(), false));

        wellsFolder = folder(WellWatchModel.wellsFolderId(), WellWatchModel.WELLS);
        wellWatchFolder.addOrganizes(wellsFolder);
        notifies(wellWatchFolder, wellsFolder);

        pendingWells.forEach(this::createWell);
        pendingWells.clear();

        // Milo evaluates monitored-item filters against its DataTypeTree: include our types.
        getServer().updateDataTypeTree();
    }

    private UaFolderNode folder(String identifier, String name) {
        UaFolderNode folder = new UaFolderNode(getNodeContext(), newNodeId(identifier),
                newQualifiedName(name), LocalizedText.english(name));
        folder.setEventNotifier(SUBSCRIBE_TO_EVENTS);
        getNodeManager().addNode(folder);
        return folder;
    }

    private void createWell(String wellId, int windowSize) {
        WellNodes well = WellNodes.create(types, getNodeContext(), wellId, windowSize);
        wellsFolder.addOrganizes(well.object());
        notifies(wellsFolder, well.object());
        wells.put(wellId, well);
        unknownWellsReported.remove(wellId);
        LOG.debug("Added well {} (window size {})", wellId, windowSize);
    }

    private static void notifies(UaNode notifier, UaObjectNode target) {
        notifier.addReference(new Reference(notifier.getNodeId(), NodeIds.HasNotifier,
                target.getNodeId().expanded(), true));
    }

    // ---- Monitored items -------------------------------------------------------------------

    @Override
    public void onDataItemsCreated(List<DataItem> dataItems) {
        subscriptionModel.onDataItemsCreated(dataItems);
    }

    @Override
    public void onDataItemsModified(List<DataItem> dataItems) {
        subscriptionModel.onDataItemsModified(dataItems);
    }

    @Override
    public void onDataItemsDeleted(List<DataItem> dataItems) {
        subscriptionModel.onDataItemsDeleted(dataItems);
    }

    @Override
    public void onMonitoringModeChanged(List<MonitoredItem> monitoredItems) {
        subscriptionModel.onMonitoringModeChanged(monitoredItems);
        for (MonitoredItem item : monitoredItems) {
            if (item instanceof EventItem eventItem) {
                updateEventRoute(eventItem);
            }
        }
    }

    @Override
    public void onEventItemsCreated(List<EventItem> eventItems) {
        eventItems.forEach(this::updateEventRoute);
    }

    @Override
    public void onEventItemsModified(List<EventItem> eventItems) {
        eventItems.forEach(this::updateEventRoute);
    }

    @Override
    public void onEventItemsDeleted(List<EventItem> eventItems) {
        eventItems.forEach(this::removeEventRoute);
    }

    private void updateEventRoute(EventItem item) {
        if (!item.isSamplingEnabled()) {
            removeEventRoute(item);
            return;
        }
        Predicate<NodeId> sources = eventSources(item.getReadValueId().getNodeId());
        if (sources == null) {
            return;
        }
        eventRoutes.computeIfAbsent(item, i -> {
            EventListener route = event -> {
                if (sources.test(event.getSourceNode())) {
                    i.onEvent(event);
                }
            };
            getServer().getEventNotifier().register(route);
            return route;
        });
    }

    private void removeEventRoute(EventItem item) {
        EventListener route = eventRoutes.remove(item);
        if (route != null) {
            getServer().getEventNotifier().unregister(route);
        }
    }

    private void dropEventRoutes() {
        eventRoutes.values().forEach(getServer().getEventNotifier()::unregister);
        eventRoutes.clear();
    }

    /** Which event sources a notifier of ours reports, or null if the node is no notifier. */
    private Predicate<NodeId> eventSources(NodeId notifier) {
        if (notifier.equals(newNodeId(WellWatchModel.wellWatchFolderId()))
                || notifier.equals(newNodeId(WellWatchModel.wellsFolderId()))) {
            UShort ours = getNamespaceIndex();
            return source -> source != null && ours.equals(source.getNamespaceIndex());
        }
        for (WellNodes well : wells.values()) {
            NodeId wellNode = well.object().getNodeId();
            if (wellNode.equals(notifier)) {
                return source -> Objects.equals(wellNode, source);
            }
        }
        return null;
    }
}
