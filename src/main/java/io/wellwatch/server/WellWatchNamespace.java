package io.wellwatch.server;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

import io.wellwatch.core.Assessment;
import io.wellwatch.core.DetectorListener;
import io.wellwatch.config.DetectorConfig;
import io.wellwatch.core.AlarmDebouncer;
import io.wellwatch.core.ModelTrained;
import io.wellwatch.core.RetrainRequester;
import io.wellwatch.history.HistoryStore;
import io.wellwatch.server.alarm.AlarmStateFile;
import io.wellwatch.server.alarm.AnomalyCondition;
import io.wellwatch.server.alarm.ConditionRefresh;
import io.wellwatch.server.alarm.OperatorCheck;
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
import org.eclipse.milo.opcua.sdk.server.nodes.UaMethodNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaObjectNode;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadDetails;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadResult;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadValueId;

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
 *
 * <p>Each well also has its AnomalyAlarm ({@link AnomalyCondition}, fed with the same assessments
 * and connection changes) and its Retrain method ({@link RetrainMethod}, answered by the
 * {@link RetrainRequester}); ConditionRefresh/ConditionRefresh2 of namespace 0 are served by
 * {@link ConditionRefresh}.
 */
public final class WellWatchNamespace extends ManagedNamespaceWithLifecycle implements DetectorListener {

    private static final Logger LOG = LogManager.getLogger(WellWatchNamespace.class);

    private static final UByte SUBSCRIBE_TO_EVENTS = ubyte(0x01);

    private final SubscriptionModel subscriptionModel;

    private final Map<String, WellNodes> wells = new ConcurrentHashMap<>();
    /** Wells added before startup, in order, with their settings. Guarded by {@code this}. */
    private final Map<String, WellSettings> pendingWells = new LinkedHashMap<>();
    private final Map<String, AnomalyCondition> conditions = new ConcurrentHashMap<>();
    private volatile RetrainRequester retrainRequester = RetrainRequester.NONE;
    private volatile OperatorCheck operatorCheck = OperatorCheck.BY_ROLE;
    /** Directory of a well's alarm state file; null: alarms are not saved across restarts. */
    private volatile Function<String, Path> alarmStateDirectories;
    private final Set<String> unknownWellsReported = ConcurrentHashMap.newKeySet();
    private final Map<EventItem, EventListener> eventRoutes = new ConcurrentHashMap<>();
    /** Nodes that answer HistoryRead: the historizing variables and the well objects. */
    private final Map<NodeId, WellHistory.Target> historyTargets = new ConcurrentHashMap<>();
    private volatile WellHistory history;
    private volatile HistoryStore historyStore;
    private volatile io.wellwatch.history.HistoryHealth historyOff =
            io.wellwatch.history.HistoryHealth.notRecording("", "history is disabled");
    private volatile EventListener alarmRecorder;

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
        addWell(wellId, new WellSettings(windowSize, DetectorConfig.DEFAULT));
    }

    /**
     * Adds a well with the window size and AnomalyAlarm rule (debounce, deadband: see
     * {@link AlarmDebouncer}) of its detector settings.
     *
     * @throws IllegalArgumentException as {@link #addWell(String, int)}, or if raiseSamples or
     *                                  clearSamples &lt; 1 or the risk bands are invalid
     */
    public synchronized void addWell(String wellId, DetectorConfig detector) {
        addWell(wellId, new WellSettings(detector.windowSize(), detector));
    }

    private void addWell(String wellId, WellSettings settings) {
        WellWatchModel.requireValidWellId(wellId);
        if (settings.windowSize() < 0) {
            throw new IllegalArgumentException("windowSize must be >= 0: " + settings.windowSize());
        }
        settings.alarmRule(); // validates
        if (types == null) {
            pendingWells.putIfAbsent(wellId, settings);
        } else if (!wells.containsKey(wellId)) {
            createWell(wellId, settings);
        }
    }

    /** The well's initial WindowSize, and the detector settings its AnomalyAlarm's rule comes from. */
    private record WellSettings(int windowSize, DetectorConfig alarm) {
        AlarmDebouncer alarmRule() {
            return AlarmDebouncer.of(alarm);
        }
    }

    /**
     * Saves each AnomalyAlarm's state in {@code directories.apply(wellId)} and restores it when the
     * well is created (see {@link AlarmStateFile}); wells created before this call are not saved.
     */
    public void setAlarmStateDirectories(Function<String, Path> directories) {
        this.alarmStateDirectories = directories;
    }

    /** Where the Retrain methods send their requests; {@link RetrainRequester#NONE} until set. */
    public void setRetrainRequester(RetrainRequester requester) {
        this.retrainRequester = Objects.requireNonNull(requester, "requester");
    }

    /**
     * Serves HistoryRead from {@code store}: raw and processed values of the historizing variables,
     * events of the well objects. Without a store, HistoryRead answers Bad_HistoryOperationUnsupported.
     */
    public void setHistory(HistoryStore store) {
        EventListener old = alarmRecorder;
        if (old != null) {
            getServer().getEventNotifier().unregister(old);
            alarmRecorder = null;
        }
        this.history = store == null ? null : new WellHistory(store, historyTargets::get, new HistoryServerView());
        this.historyStore = store;
        if (store != null) {
            alarmRecorder = event -> recordAlarmEvent(store, event);
            getServer().getEventNotifier().register(alarmRecorder);
        }
        advertiseHistoryCapabilities(store != null);
    }

    /**
     * No history: disabled, or its database {@code jdbcUrl} could not be opened ({@code why}); the
     * {@code WellWatch/History} object says so.
     */
    public void setHistoryUnavailable(String jdbcUrl, String why) {
        setHistory(null);
        historyOff = io.wellwatch.history.HistoryHealth.notRecording(jdbcUrl, why);
    }

    private io.wellwatch.history.HistoryHealth historyHealth() {
        HistoryStore store = historyStore;
        return store != null ? store.health() : historyOff;
    }

    /** What the history needs of the server; the type hierarchy is walked by Milo's own event filter code. */
    private final class HistoryServerView implements WellHistory.ServerView {
        @Override
        public org.eclipse.milo.opcua.stack.core.encoding.EncodingContext encoding() {
            return getServer().getStaticEncodingContext();
        }

        @Override
        public org.eclipse.milo.opcua.stack.core.NamespaceTable namespaces() {
            return getServer().getNamespaceTable();
        }

        @Override
        public boolean isSubtypeOf(NodeId type, NodeId superType) {
            return org.eclipse.milo.opcua.sdk.server.events.EventContentFilter.subtypeOf(type, superType, getServer());
        }

        @Override
        public NodeId modelRetrainedEventType() {
            return typeNodeId(WellWatchModel.MODEL_RETRAINED_EVENT_TYPE);
        }
    }

    /** Server/ServerCapabilities/HistoryServerCapabilities: what HistoryRead offers (read only, no updates). */
    private void advertiseHistoryCapabilities(boolean on) {
        setValue(NodeIds.HistoryServerCapabilities_AccessHistoryDataCapability, Variant.ofBoolean(on));
        setValue(NodeIds.HistoryServerCapabilities_AccessHistoryEventsCapability, Variant.ofBoolean(on));
        setValue(NodeIds.HistoryServerCapabilities_MaxReturnDataValues,
                Variant.ofUInt32(org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint(on ? WellHistory.MAX_PER_RESPONSE : 0)));
        setValue(NodeIds.HistoryServerCapabilities_MaxReturnEventValues,
                Variant.ofUInt32(org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint(on ? WellHistory.MAX_PER_RESPONSE : 0)));
        setValue(NodeIds.HistoryServerCapabilities_ServerTimestampSupported, Variant.ofBoolean(false));
        getServer().getAddressSpaceManager().getManagedNode(NodeIds.HistoryServerCapabilities_AggregateFunctions)
                .ifPresent(folder -> {
                    for (NodeId aggregate : List.of(NodeIds.AggregateFunction_Average, NodeIds.AggregateFunction_Minimum,
                            NodeIds.AggregateFunction_Maximum, NodeIds.AggregateFunction_Count)) {
                        Reference r = new Reference(folder.getNodeId(), NodeIds.Organizes, aggregate.expanded(), true);
                        if (on) {
                            folder.addReference(r);
                        } else {
                            folder.removeReference(r);
                        }
                    }
                });
    }

    private void setValue(NodeId id, Variant value) {
        getServer().getAddressSpaceManager().getManagedNode(id).ifPresent(node -> {
            if (node instanceof org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode v) {
                v.setValue(new org.eclipse.milo.opcua.stack.core.types.builtin.DataValue(value));
            }
        });
    }

    /**
     * Records the AnomalyAlarm events of our wells as they are fired (ConditionRefresh replays go to
     * the subscribing items only and are not recorded again). Runs on the firing thread: one queue offer.
     */
    private void recordAlarmEvent(HistoryStore store, org.eclipse.milo.opcua.sdk.server.model.objects.BaseEventTypeNode event) {
        try {
            if (!NodeIds.OffNormalAlarmType.equals(event.getEventType())) {
                return;
            }
            WellHistory.Target target = historyTargets.get(event.getSourceNode());
            if (target == null || target.variable() != null) {
                return;
            }
            DateTime time = event.getTime();
            LocalizedText message = event.getMessage();
            store.offer(new io.wellwatch.history.EventRecord(target.wellId(),
                    time == null ? java.time.Instant.now() : time.getJavaInstant(),
                    io.wellwatch.history.EventRecord.ANOMALY_ALARM,
                    event.getSeverity() == null ? 0 : event.getSeverity().intValue(),
                    message == null || message.text() == null ? "" : message.text(),
                    null, null, null, null, null));
        } catch (RuntimeException e) {
            LOG.debug("alarm event not recorded: {}", e.toString());
        }
    }

    @Override
    public List<HistoryReadResult> historyRead(HistoryReadContext context, HistoryReadDetails details,
                                               TimestampsToReturn timestamps, List<HistoryReadValueId> ids) {
        WellHistory h = history;
        return h == null ? super.historyRead(context, details, timestamps, ids) : h.read(details, timestamps, ids);
    }

    /** Who may acknowledge, comment, enable/disable and retrain; {@link OperatorCheck#BY_ROLE} (operators) until set. */
    public void setOperatorCheck(OperatorCheck check) {
        this.operatorCheck = Objects.requireNonNull(check, "check");
    }

    /** NodeId of a well's AnomalyAlarm condition (its ConditionId). */
    public NodeId anomalyAlarmNodeId(String wellId) {
        return newNodeId(WellWatchModel.anomalyAlarmId(wellId));
    }

    /** NodeId of a well's Retrain method. */
    public NodeId retrainNodeId(String wellId) {
        return newNodeId(WellWatchModel.retrainId(wellId));
    }

    /** The AnomalyAlarm of a well, or null if the well is not in the address space. */
    public AnomalyCondition anomalyAlarm(String wellId) {
        return conditions.get(wellId);
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
        if (well == null) {
            return;
        }
        if (!well.apply(assessment, DateTime.now())) {
            LOG.trace("{}: assessment ignored while the connection is down", assessment.wellId());
            return;
        }
        AnomalyCondition condition = conditions.get(assessment.wellId());
        if (condition != null) {
            condition.onAssessment(assessment);
        }
    }

    @Override
    public void onConnectionState(String wellId, boolean connected) {
        WellNodes well = well(wellId);
        if (well == null) {
            return;
        }
        AnomalyCondition condition = conditions.get(wellId);
        if (condition != null) {
            condition.onConnectionState(connected);
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
        new ConditionRefresh(getServer(), conditions::values, this::eventItemSources,
                () -> newNodeId("Events/" + UUID.randomUUID()), ConditionRefresh::newEventId).install();

        UaFolderNode wellWatchFolder = folder(WellWatchModel.wellWatchFolderId(), WellWatchModel.WELL_WATCH);
        wellWatchFolder.addReference(new Reference(wellWatchFolder.getNodeId(), NodeIds.Organizes,
                NodeIds.ObjectsFolder.expanded(), false));
        wellWatchFolder.addReference(new Reference(wellWatchFolder.getNodeId(), NodeIds.HasNotifier,
                NodeIds.Server.expanded(), false));

        wellsFolder = folder(WellWatchModel.wellsFolderId(), WellWatchModel.WELLS);
        wellWatchFolder.addOrganizes(wellsFolder);
        notifies(wellWatchFolder, wellsFolder);
        HistoryHealthNodes.add(getNodeContext(), wellWatchFolder, this::newNodeId, this::newQualifiedName,
                this::historyHealth);

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

    private AlarmStateFile alarmStateFile(String wellId) {
        Function<String, Path> directories = alarmStateDirectories;
        return directories == null ? null : AlarmStateFile.in(directories.apply(wellId));
    }

    private void createWell(String wellId, WellSettings settings) {
        WellNodes well = WellNodes.create(types, getNodeContext(), wellId, settings.windowSize());
        wellsFolder.addOrganizes(well.object());
        notifies(wellsFolder, well.object());
        AnomalyCondition condition;
        try {
            condition = AnomalyCondition.create(getNodeContext(), anomalyAlarmNodeId(wellId),
                    newQualifiedName(WellWatchModel.ANOMALY_ALARM), well.object(), wellId,
                    wellVariableNodeId(wellId, WellVariable.RISK_LEVEL),
                    settings.alarmRule(),
                    (context, action, id) -> operatorCheck.allowed(context, action, id),
                    ConditionRefresh::newEventId, alarmStateFile(wellId));
        } catch (UaException e) {
            throw new IllegalStateException("cannot build the AnomalyAlarm of well " + wellId, e);
        }
        UaMethodNode retrain = types.newRetrainMethod(retrainNodeId(wellId));
        retrain.setInvocationHandler(new RetrainMethod(retrain, wellId, () -> retrainRequester, () -> operatorCheck));
        getNodeManager().addNode(retrain);
        well.object().addReference(new Reference(well.object().getNodeId(), NodeIds.HasComponent,
                retrain.getNodeId().expanded(), true));
        NodeId wellNode = well.object().getNodeId();
        historyTargets.put(wellNode, new WellHistory.Target(wellId, null, wellNode));
        for (WellVariable v : WellVariable.values()) {
            if (v.historizing()) {
                historyTargets.put(wellVariableNodeId(wellId, v), new WellHistory.Target(wellId, v, wellNode));
            }
        }
        conditions.put(wellId, condition);
        wells.put(wellId, well);
        unknownWellsReported.remove(wellId);
        condition.announceRestore(); // after the history targets: the restored event is recorded
        LOG.debug("Added well {} (window size {}, alarm raise/clear after {}/{} samples, deadband {})", wellId,
                settings.windowSize(), settings.alarm().raiseSamples(), settings.alarm().clearSamples(),
                settings.alarm().risk().deadband());
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
        EventListener recorder = alarmRecorder;
        if (recorder != null) {
            getServer().getEventNotifier().unregister(recorder);
        }
    }

    /**
     * Which event sources an event item receives: all for the Server object (and any other node of
     * namespace 0, to which Milo delivers every event), those of our notifiers, none otherwise.
     */
    private Predicate<NodeId> eventItemSources(EventItem item) {
        NodeId notifier = item.getReadValueId().getNodeId();
        if (notifier.getNamespaceIndex().intValue() == 0) {
            return source -> true;
        }
        return eventSources(notifier);
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
