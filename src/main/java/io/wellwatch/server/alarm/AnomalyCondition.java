package io.wellwatch.server.alarm;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort;

import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

import io.wellwatch.core.AlarmDebouncer;
import io.wellwatch.core.Assessment;
import io.wellwatch.core.RiskLevel;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.AccessContext;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.items.EventItem;
import org.eclipse.milo.opcua.sdk.server.model.objects.AcknowledgeableConditionType;
import org.eclipse.milo.opcua.sdk.server.model.objects.ConditionType;
import org.eclipse.milo.opcua.sdk.server.model.objects.OffNormalAlarmTypeNode;
import org.eclipse.milo.opcua.sdk.server.model.variables.ConditionVariableTypeNode;
import org.eclipse.milo.opcua.sdk.server.model.variables.TwoStateVariableTypeNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaMethodNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaNodeContext;
import org.eclipse.milo.opcua.sdk.server.nodes.UaObjectNode;
import org.eclipse.milo.opcua.sdk.server.nodes.factories.NodeFactory;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;

/**
 * The AnomalyAlarm of one well: an OffNormalAlarmType condition instance (built by Milo's
 * NodeFactory under a stable NodeId, so its ConditionId survives restarts) driven by the
 * {@link AlarmDebouncer debounced} risk level of the well's assessments, with the
 * Acknowledge, AddComment, Enable and Disable methods of ConditionType.
 *
 * <p>Events: the condition node itself is fired through the server's event notifier, with a new
 * EventId, Time and ReceiveTime, on every change of active state, of the level while active, of
 * acknowledgement, comment, enabled state and quality. Milo selects the event fields
 * synchronously while firing, so each notification is a snapshot of the state at that moment.
 * ConditionRefresh re-sends the latest event (same EventId) with {@link #replayTo}.
 *
 * <p>Restart: with a {@link AlarmStateFile} the state is saved on every change of level,
 * acknowledgement, comment and enabled state, and taken back when the condition is created; a
 * restored condition that is active or unacknowledged raises one event saying so.
 *
 * <p>Thread-safe: assessments, connection changes, method calls and refreshes are serialised on
 * this object.
 */
public final class AnomalyCondition {

    private static final Logger LOG = LogManager.getLogger(AnomalyCondition.class);

    private static final LocalizedText ACTIVE = LocalizedText.english("Active");
    private static final LocalizedText INACTIVE = LocalizedText.english("Inactive");
    private static final LocalizedText ACKED = LocalizedText.english("Acknowledged");
    private static final LocalizedText UNACKED = LocalizedText.english("Unacknowledged");
    private static final LocalizedText ENABLED = LocalizedText.english("Enabled");
    private static final LocalizedText DISABLED = LocalizedText.english("Disabled");

    private static final StatusCode NO_COMMUNICATION = new StatusCode(StatusCodes.Bad_NoCommunication);

    private final String wellId;
    private final OpcUaServer server;
    private final OffNormalAlarmTypeNode node;
    private final AlarmDebouncer debouncer;
    private final OperatorCheck operatorCheck;
    private final Supplier<ByteString> eventIds;
    private final ConditionState state = new ConditionState();
    /** Null: the state lives in memory only. */
    private final AlarmStateFile stateFile;

    /** EventId of the latest event (also set before the first one, so the node is never empty). */
    private ByteString lastEventId;
    /** Figures of the latest valid assessment, for the Message. */
    private double loss = Double.NaN;
    private double tolerance = Double.NaN;
    private String topContributor = "";
    /** Text of the latest comment, "" if none, for the state file. */
    private String comment = "";
    /** ClientUserId read from the state file, set once the node is initialised. */
    private String restoredClientUserId = "";
    /** The state came from the state file and is not announced yet. */
    private boolean restored;

    private AnomalyCondition(String wellId, OpcUaServer server, OffNormalAlarmTypeNode node,
                             AlarmDebouncer debouncer, OperatorCheck operatorCheck, Supplier<ByteString> eventIds,
                             AlarmStateFile stateFile) {
        this.stateFile = stateFile;
        this.wellId = wellId;
        this.server = server;
        this.node = node;
        this.debouncer = debouncer;
        this.operatorCheck = operatorCheck;
        this.eventIds = eventIds;
    }

    /**
     * Builds the condition node {@code conditionId} under {@code well} (HasComponent and
     * HasCondition from the well), adds it to the context's node manager and installs its methods.
     *
     * @param inputNode the well's RiskLevel variable (InputNode of the alarm)
     * @param stateFile where the state is saved and restored from; null to start inactive and keep
     *                  the state in memory only
     */
    public static AnomalyCondition create(UaNodeContext context, NodeId conditionId, QualifiedName browseName,
                                          UaObjectNode well, String wellId, NodeId inputNode,
                                          AlarmDebouncer debouncer, OperatorCheck operatorCheck,
                                          Supplier<ByteString> eventIds, AlarmStateFile stateFile) throws UaException {
        UaNode created = new NodeFactory(context).createNode(conditionId, NodeIds.OffNormalAlarmType);
        if (!(created instanceof OffNormalAlarmTypeNode node)) {
            throw new UaException(StatusCodes.Bad_InternalError,
                    "NodeFactory built " + created.getClass().getName() + " for OffNormalAlarmType");
        }
        node.setBrowseName(browseName);
        node.setDisplayName(LocalizedText.english(browseName.name()));
        node.setDescription(LocalizedText.english("Anomaly alarm of well " + wellId));
        well.addReference(new Reference(well.getNodeId(), NodeIds.HasComponent, conditionId.expanded(), true));
        well.addReference(new Reference(well.getNodeId(), NodeIds.HasCondition, conditionId.expanded(), true));

        AnomalyCondition condition = new AnomalyCondition(wellId, context.getServer(), node, debouncer,
                Objects.requireNonNull(operatorCheck), eventIds, stateFile);
        AlarmSnapshot saved = stateFile == null ? null : stateFile.read().orElse(null);
        if (saved != null) {
            condition.restore(saved);
        }
        condition.initialise(well.getNodeId(), inputNode);
        condition.installMethods();
        return condition;
    }

    /** The user who last acknowledged or commented, "" if nobody (or not since the condition was created empty). */
    public synchronized String clientUserId() {
        String id = node.getClientUserId();
        return id == null ? "" : id;
    }

    public NodeId conditionId() {
        return node.getNodeId();
    }

    public NodeId sourceNode() {
        return node.getSourceNode();
    }

    public String wellId() {
        return wellId;
    }

    // ---- Inputs from the detector ------------------------------------------------------------

    /** Feeds one assessment through the debouncer; raises an event if the alarm's level changed. */
    public synchronized void onAssessment(Assessment a) {
        RiskLevel judged = a.judgedRisk();
        if (judged == null) {
            return; // not judged: the last judgement stands, the debouncer's run goes on
        }
        loss = a.loss();
        tolerance = a.tolerance();
        topContributor = a.topContributor() == null ? "" : a.topContributor();
        RiskLevel before = debouncer.level();
        if (!debouncer.offer(a)) {
            return;
        }
        RiskLevel after = debouncer.level();
        boolean event = state.level(after);
        save();
        LOG.info("{}: AnomalyAlarm {} -> {} ({}; loss {}, tolerance {}, top {}){}", wellId, before, after,
                after.isAlarm() ? "active, severity " + state.severity() : "inactive",
                fmt(loss), fmt(tolerance), topContributor.isEmpty() ? "-" : topContributor,
                state.isEnabled() ? "" : " [disabled: no event]");
        if (event) {
            DateTime time = a.sampleTime() == null ? DateTime.now() : new DateTime(a.sampleTime());
            // An inactive condition keeps the Severity of its last level: say in words that it cleared.
            node.setMessage(LocalizedText.english(before.isAlarm() && !after.isAlarm()
                    ? levelMessage(", alarm cleared") : levelMessage()));
            fire(time);
        }
    }

    /** Quality follows the well's data: Bad_NoCommunication while its PLC is lost. */
    public synchronized void onConnectionState(boolean connected) {
        if (state.quality(connected)) {
            node.setMessage(LocalizedText.english(wellId + ": " + (connected
                    ? "data communication restored, " + levelMessage()
                    : "no communication with the PLC, alarm state unknown (last: " + levelMessage() + ")")));
            fire(DateTime.now());
        }
        LOG.info("{}: AnomalyAlarm quality {}", wellId, connected ? "Good" : "Bad_NoCommunication");
    }

    // ---- Refresh -------------------------------------------------------------------------------

    public synchronized boolean isRetained() {
        return state.retain();
    }

    /** Sends the latest event of this condition (current state, same EventId) to one event item. */
    public synchronized void replayTo(EventItem item) {
        item.onEvent(node);
    }

    // ---- State for tests and diagnostics ----------------------------------------------------------

    public synchronized boolean isActive() {
        return state.isActive();
    }

    public synchronized boolean isAcked() {
        return state.isAcked();
    }

    public synchronized ByteString lastEventId() {
        return lastEventId;
    }

    // ---- Operator methods -------------------------------------------------------------------------

    synchronized void acknowledge(AccessContext context, ByteString eventId, LocalizedText comment) throws UaException {
        authorise(context, OperatorCheck.Action.ACKNOWLEDGE);
        check(state.acknowledge(isCurrent(eventId)), "Acknowledge");
        setComment(context, comment);
        save();
        node.setMessage(LocalizedText.english(wellId + ": acknowledged" + commentSuffix(comment) + "; " + levelMessage()));
        LOG.info("{}: AnomalyAlarm acknowledged by {}{}", wellId, OperatorCheck.userOf(context), commentSuffix(comment));
        fire(DateTime.now());
    }

    synchronized void addComment(AccessContext context, ByteString eventId, LocalizedText comment) throws UaException {
        authorise(context, OperatorCheck.Action.ADD_COMMENT);
        check(state.addComment(isCurrent(eventId)), "AddComment");
        setComment(context, comment);
        save();
        node.setMessage(LocalizedText.english(wellId + ": comment" + commentSuffix(comment) + "; " + levelMessage()));
        LOG.info("{}: AnomalyAlarm comment by {}{}", wellId, OperatorCheck.userOf(context), commentSuffix(comment));
        fire(DateTime.now());
    }

    synchronized void enable(AccessContext context) throws UaException {
        authorise(context, OperatorCheck.Action.ENABLE);
        check(state.enable(), "Enable");
        save();
        node.setMessage(LocalizedText.english(wellId + ": alarm enabled; " + levelMessage()));
        LOG.info("{}: AnomalyAlarm enabled by {}", wellId, OperatorCheck.userOf(context));
        fire(DateTime.now());
    }

    synchronized void disable(AccessContext context) throws UaException {
        authorise(context, OperatorCheck.Action.DISABLE);
        check(state.disable(), "Disable");
        save();
        node.setMessage(LocalizedText.english(wellId + ": alarm disabled"));
        LOG.info("{}: AnomalyAlarm disabled by {}", wellId, OperatorCheck.userOf(context));
        fire(DateTime.now());
    }

    // ---- Internals ----------------------------------------------------------------------------------

    private void initialise(NodeId source, NodeId inputNode) {
        DateTime now = DateTime.now();
        node.setEventType(NodeIds.OffNormalAlarmType);
        node.setSourceNode(source);
        node.setSourceName(wellId);
        node.setConditionName(WELL_ALARM_NAME);
        node.setConditionClassId(NodeIds.ProcessConditionClassType);
        node.setConditionClassName(LocalizedText.english("ProcessConditionClassType"));
        node.setBranchId(NodeId.NULL_VALUE);
        node.setInputNode(inputNode);
        node.setSuppressedOrShelved(false);
        node.setNormalState(NodeId.NULL_VALUE);
        setComment(AccessContext.INTERNAL, comment.isEmpty() ? LocalizedText.NULL_VALUE : LocalizedText.english(comment));
        node.setClientUserId(restoredClientUserId); // who wrote the restored comment
        node.setMessage(LocalizedText.english(levelMessage()));
        node.setTime(now);
        node.setReceiveTime(now);
        lastEventId = eventIds.get();
        node.setEventId(lastEventId);
        applyState(now);
    }

    private static final String WELL_ALARM_NAME = "AnomalyAlarm";

    private void restore(AlarmSnapshot saved) {
        restored = true;
        state.restore(saved.level(), saved.acked(), saved.enabled(), saved.severity());
        debouncer.restore(saved.level());
        loss = AlarmSnapshot.orNaN(saved.loss());
        tolerance = AlarmSnapshot.orNaN(saved.tolerance());
        topContributor = saved.topContributor();
        comment = saved.comment();
        restoredClientUserId = saved.clientUserId();
    }

    /**
     * If the state was restored: logs it and, when active or unacknowledged, raises one event
     * saying so, because historians last saw this condition before the restart. Call once the
     * well is in the address space (the history recorder looks its source up).
     */
    public synchronized void announceRestore() {
        if (!restored) {
            return;
        }
        restored = false;
        LOG.info("{}: AnomalyAlarm restored from {}: {}, {}, {}", wellId, stateFile.path(),
                state.isActive() ? "active, severity " + state.severity() : "inactive",
                state.isAcked() ? "acknowledged" : "unacknowledged", state.isEnabled() ? "enabled" : "disabled");
        if (state.retain()) { // active or unacknowledged, and enabled: a disabled condition raises no events
            node.setMessage(LocalizedText.english(levelMessage() + "; restored after a restart,"
                    + " judged again from the next samples"));
            fire(DateTime.now());
        }
    }

    private void save() {
        if (stateFile != null) {
            stateFile.write(new AlarmSnapshot(AlarmSnapshot.FORMAT, state.level(), state.isAcked(),
                    state.isEnabled(), state.severity(), AlarmSnapshot.finiteOrNull(loss),
                    AlarmSnapshot.finiteOrNull(tolerance), topContributor, comment, clientUserId()));
        }
    }

    /** Writes the state machine into the node's variables. */
    private void applyState(DateTime now) {
        twoState(node.getEnabledStateNode(), state.isEnabled(), ENABLED, DISABLED, now);
        twoState(node.getActiveStateNode(), state.isActive(), ACTIVE, INACTIVE, now);
        twoState(node.getAckedStateNode(), state.isAcked(), ACKED, UNACKED, now);
        node.setRetain(state.retain());
        node.setSeverity(ushort(state.severity()));
        node.setLastSeverity(ushort(state.lastSeverity()));
        conditionVariableTime(node.getLastSeverityNode(), now);
        node.setQuality(state.isQualityGood() ? StatusCode.GOOD : NO_COMMUNICATION);
        conditionVariableTime(node.getQualityNode(), now);
    }

    private void fire(DateTime time) {
        DateTime now = DateTime.now();
        applyState(now);
        lastEventId = eventIds.get();
        node.setEventId(lastEventId);
        node.setTime(time);
        node.setReceiveTime(now);
        try {
            server.getEventNotifier().fire(node);
        } catch (RuntimeException e) {
            LOG.error("{}: could not raise AnomalyAlarm event", wellId, e);
        }
    }

    private static void twoState(TwoStateVariableTypeNode variable, boolean id, LocalizedText trueText,
                                 LocalizedText falseText, DateTime now) {
        if (variable == null) {
            return;
        }
        Boolean previous = variable.getId();
        variable.setValue(new org.eclipse.milo.opcua.stack.core.types.builtin.DataValue(
                new org.eclipse.milo.opcua.stack.core.types.builtin.Variant(id ? trueText : falseText)));
        variable.setId(id);
        if (!Objects.equals(previous, id) && variable.getTransitionTimeNode() != null) {
            variable.setTransitionTime(now);
        }
    }

    private static void conditionVariableTime(ConditionVariableTypeNode variable, DateTime now) {
        if (variable != null) {
            variable.setSourceTimestamp(now);
        }
    }

    private void setComment(AccessContext context, LocalizedText comment) {
        node.setComment(comment == null ? LocalizedText.NULL_VALUE : comment);
        this.comment = comment == null || comment.text() == null ? "" : comment.text();
        conditionVariableTime(node.getCommentNode(), DateTime.now());
        node.setClientUserId(context == AccessContext.INTERNAL ? "" : OperatorCheck.userOf(context));
    }

    private boolean isCurrent(ByteString eventId) {
        return eventId != null && eventId.equals(lastEventId);
    }

    private void authorise(AccessContext context, OperatorCheck.Action action) throws UaException {
        if (!operatorCheck.allowed(context, action, wellId)) {
            LOG.warn("{}: {} on AnomalyAlarm refused for {}", wellId, action, OperatorCheck.userOf(context));
            throw new UaException(StatusCodes.Bad_UserAccessDenied);
        }
    }

    private void check(long status, String action) throws UaException {
        if (status != StatusCodes.Good) {
            String code = StatusCodes.lookup(status).map(names -> names[0]).orElse(String.format("0x%08X", status));
            LOG.info("{}: {} on AnomalyAlarm refused: {}", wellId, action, code);
            throw new UaException(status, action + " refused: " + code);
        }
    }

    private String levelMessage() {
        return levelMessage("");
    }

    private String levelMessage(String change) {
        RiskLevel level = state.level();
        String figures = String.format(Locale.ROOT, "loss %s, tolerance %s, top contributor %s",
                fmt(loss), fmt(tolerance), topContributor.isEmpty() ? "none" : topContributor);
        return level.isAlarm()
                ? String.format(Locale.ROOT, "%s: anomaly risk %s%s (%s)", wellId, name(level), change, figures)
                : String.format(Locale.ROOT, "%s: anomaly risk Normal%s (%s)", wellId, change, figures);
    }

    private static String name(RiskLevel level) {
        String n = level.name();
        return n.charAt(0) + n.substring(1).toLowerCase(Locale.ROOT);
    }

    private static String commentSuffix(LocalizedText comment) {
        return comment == null || comment.text() == null || comment.text().isEmpty()
                ? "" : " \"" + comment.text() + "\"";
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : "n/a";
    }

    private void installMethods() {
        install(node.getAcknowledgeMethodNode(), m -> new AcknowledgeableConditionType.AcknowledgeMethod(m) {
            @Override
            protected void invoke(InvocationContext context, ByteString eventId, LocalizedText comment)
                    throws UaException {
                acknowledge(context, eventId, comment);
            }
        });
        install(node.getAddCommentMethodNode(), m -> new ConditionType.AddCommentMethod(m) {
            @Override
            protected void invoke(InvocationContext context, ByteString eventId, LocalizedText comment)
                    throws UaException {
                addComment(context, eventId, comment);
            }
        });
        install(node.getEnableMethodNode(), m -> new ConditionType.EnableMethod(m) {
            @Override
            protected void invoke(InvocationContext context) throws UaException {
                enable(context);
            }
        });
        install(node.getDisableMethodNode(), m -> new ConditionType.DisableMethod(m) {
            @Override
            protected void invoke(InvocationContext context) throws UaException {
                disable(context);
            }
        });
    }

    private void install(UaMethodNode method,
                         java.util.function.Function<UaMethodNode,
                                 org.eclipse.milo.opcua.sdk.server.methods.AbstractMethodInvocationHandler> handler) {
        if (method == null) {
            LOG.warn("{}: AnomalyAlarm has no method node to install a handler on", wellId);
            return;
        }
        var h = handler.apply(method);
        method.setInvocationHandler(h);
        method.setExecutable(true);
        method.setUserExecutable(true);
    }
}
