package io.wellwatch.server;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

import io.wellwatch.core.Assessment;
import io.wellwatch.core.DataState;
import io.wellwatch.core.RiskLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.nodes.UaNodeContext;
import org.eclipse.milo.opcua.sdk.server.nodes.UaObjectNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

/**
 * The object and variables of one well, and the rules that turn an {@link Assessment} or a
 * connection change into values and status codes.
 *
 * <p>Status rules:
 * <ul>
 *   <li>Before the first assessment: RiskLevel (Normal), Loss, Tolerance (no value), TopContributor
 *       ("") and ValveState ("") are Bad_WaitingForInitialData. ModelVersion 0, SamplesBuffered 0,
 *       WindowSize, LastTrainedTime (MinDateTime, as the contract says for "never") and DataState
 *       Invalid (no sample is a missing sample) are Good: they are known.</li>
 *   <li>A sample no model judged (DataState Invalid, no model yet for the valve state, or valid
 *       while the model warms up after a gap): RiskLevel, Loss and TopContributor keep their last Good value with
 *       Uncertain_LastUsableValue (still Bad_WaitingForInitialData if there never was one); the
 *       other variables are updated.</li>
 *   <li>Loss or Tolerance NaN (no score / no model): the same holding rule for that variable.</li>
 *   <li>Connection lost: every variable keeps its value and SourceTimestamp with
 *       Bad_NoCommunication; assessments are ignored until the connection is back, and the
 *       first assessment after that publishes Good values again.</li>
 * </ul>
 * SourceTimestamp is the sample time; the stored ServerTimestamp is the publishing time, but
 * Milo re-stamps ServerTimestamp with the current time whenever it serves a value (Read, or
 * sampling for a subscription), i.e. "when the server knew the value to be accurate".
 */
final class WellNodes {

    private static final StatusCode GOOD = StatusCode.GOOD;
    private static final StatusCode WAITING = new StatusCode(StatusCodes.Bad_WaitingForInitialData);
    private static final StatusCode LAST_USABLE = new StatusCode(StatusCodes.Uncertain_LastUsableValue);
    private static final StatusCode NO_COMMUNICATION = new StatusCode(StatusCodes.Bad_NoCommunication);

    /** EventNotifier of a well: SubscribeToEvents | HistoryRead. */
    private static final int WELL_EVENT_NOTIFIER = 0x01 | 0x04;

    private final UaObjectNode object;
    private final Map<WellVariable, Slot> slots;
    private boolean connected = true;

    private WellNodes(UaObjectNode object, Map<WellVariable, Slot> slots) {
        this.object = object;
        this.slots = slots;
    }

    /** Builds the well's object and variables and adds them to the context's node manager. */
    static WellNodes create(WellWatchTypes types, UaNodeContext context, String wellId, int windowSize) {
        NodeId objectId = types.nodeId(WellWatchModel.wellId(wellId));
        UaObjectNode object = new UaObjectNode(context, objectId, types.qualifiedName(wellId),
                LocalizedText.english(wellId), LocalizedText.english("Anomaly risk of well " + wellId),
                uint(0), uint(0), ubyte(WELL_EVENT_NOTIFIER));
        context.getNodeManager().addNode(object);
        object.addReference(new Reference(objectId, NodeIds.HasTypeDefinition,
                types.wellAnomalyType.expanded(), true));

        DateTime now = DateTime.now();
        Map<WellVariable, Slot> slots = new EnumMap<>(WellVariable.class);
        for (WellVariable variable : WellVariable.values()) {
            Initial initial = initial(variable, windowSize);
            UaVariableNode node = types.newVariable(
                    types.nodeId(WellWatchModel.wellVariableId(wellId, variable)), variable,
                    new DataValue(initial.value(), initial.status(), now, now));
            context.getNodeManager().addNode(node);
            object.addReference(new Reference(objectId, NodeIds.HasComponent, node.getNodeId().expanded(), true));
            slots.put(variable, new Slot(node, initial.status().isGood() ? initial.value() : null));
            if (variable.historizing()) {
                addHistoricalConfiguration(context, node, types.nodeId(WellWatchModel.wellVariableId(wellId, variable)
                        + "/" + HA_CONFIGURATION));
            }
        }
        return new WellNodes(object, slots);
    }

    /** BrowseName (namespace 0) of a variable's HistoricalDataConfiguration, as Part 11 names it. */
    static final String HA_CONFIGURATION = "HA Configuration";

    /**
     * The variable's HistoricalDataConfiguration (Part 11): history keeps every change, so the data is
     * Stepped (a value holds until the next); aggregates use Good values only (TreatUncertainAsBad,
     * 100 % good data); the store keeps the source timestamp only.
     */
    private static void addHistoricalConfiguration(UaNodeContext context, UaVariableNode variable, NodeId id) {
        org.eclipse.milo.opcua.sdk.server.nodes.UaNode created;
        try {
            created = new org.eclipse.milo.opcua.sdk.server.nodes.factories.NodeFactory(context)
                    .createNode(id, NodeIds.HistoricalDataConfigurationType);
        } catch (org.eclipse.milo.opcua.stack.core.UaException e) {
            throw new IllegalStateException("cannot build " + HA_CONFIGURATION + " of " + variable.getNodeId(), e);
        }
        var ha = (org.eclipse.milo.opcua.sdk.server.model.objects.HistoricalDataConfigurationTypeNode) created;
        ha.setBrowseName(new org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName(0, HA_CONFIGURATION));
        ha.setDisplayName(LocalizedText.english(HA_CONFIGURATION));
        ha.setStepped(true);
        var aggregates = ha.getAggregateConfigurationNode();
        aggregates.setTreatUncertainAsBad(true);
        aggregates.setPercentDataBad(ubyte(100));
        aggregates.setPercentDataGood(ubyte(100));
        aggregates.setUseSlopedExtrapolation(false);
        if (ha.getServerTimestampSupportedNode() != null) {
            ha.setServerTimestampSupported(false);
        }
        variable.addReference(new Reference(variable.getNodeId(), NodeIds.HasHistoricalConfiguration,
                id.expanded(), true));
    }

    UaObjectNode object() {
        return object;
    }

    /**
     * Publishes an assessment. Runs for every sample of every well: a handful of small objects,
     * no lookups beyond the slot map.
     *
     * @return false if ignored because the well's connection is down
     */
    synchronized boolean apply(Assessment a, DateTime serverTime) {
        if (!connected) {
            return false;
        }
        DateTime sourceTime = a.sampleTime() == null ? serverTime : new DateTime(a.sampleTime());
        DataState dataState = a.dataState() == null ? DataState.INVALID : a.dataState();

        publish(WellVariable.DATA_STATE, Variant.ofInt32(dataState.ordinal()), sourceTime, serverTime);

        RiskLevel risk = a.judgedRisk();
        boolean held = risk == null; // Invalid, or the model warming up after a gap
        publishOrHold(WellVariable.RISK_LEVEL, held ? null : Variant.ofInt32(risk.ordinal()), sourceTime, serverTime);
        publishOrHold(WellVariable.LOSS, held ? null : finite(a.loss()), sourceTime, serverTime);
        publishOrHold(WellVariable.TOP_CONTRIBUTOR,
                held ? null : Variant.ofString(a.topContributor() == null ? "" : a.topContributor()),
                sourceTime, serverTime);
        publishOrHold(WellVariable.TOLERANCE, finite(a.tolerance()), sourceTime, serverTime);
        publishOrHold(WellVariable.VALVE_STATE, a.valveState() == null ? null : Variant.ofString(a.valveState()),
                sourceTime, serverTime);

        publish(WellVariable.MODEL_VERSION, unsigned(a.modelVersion()), sourceTime, serverTime);
        publish(WellVariable.SAMPLES_BUFFERED, unsigned(a.samplesBuffered()), sourceTime, serverTime);
        publish(WellVariable.WINDOW_SIZE, unsigned(a.windowSize()), sourceTime, serverTime);
        publish(WellVariable.LAST_TRAINED_TIME, Variant.ofDateTime(dateTime(a.lastTrainedTime())),
                sourceTime, serverTime);
        return true;
    }

    /** Marks every variable Bad_NoCommunication, keeping values and source timestamps. */
    synchronized void connectionLost(DateTime serverTime) {
        if (!connected) {
            return;
        }
        connected = false;
        for (Slot slot : slots.values()) {
            DataValue last = slot.node.getValue();
            slot.node.setValue(new DataValue(last.value(), NO_COMMUNICATION, last.sourceTime(), serverTime));
        }
    }

    /** Values turn Good again with the next assessment. */
    synchronized void connectionRestored() {
        connected = true;
    }

    private void publish(WellVariable variable, Variant value, DateTime sourceTime, DateTime serverTime) {
        Slot slot = slots.get(variable);
        slot.lastGood = value;
        slot.node.setValue(new DataValue(value, GOOD, sourceTime, serverTime));
    }

    /** Publishes {@code value}, or holds the last Good value when it is null. */
    private void publishOrHold(WellVariable variable, Variant value, DateTime sourceTime, DateTime serverTime) {
        if (value != null) {
            publish(variable, value, sourceTime, serverTime);
            return;
        }
        Slot slot = slots.get(variable);
        DataValue held = slot.lastGood == null
                ? new DataValue(slot.node.getValue().value(), WAITING, sourceTime, serverTime)
                : new DataValue(slot.lastGood, LAST_USABLE, sourceTime, serverTime);
        slot.node.setValue(held);
    }

    private static Variant finite(double value) {
        return Double.isFinite(value) ? Variant.ofDouble(value) : null;
    }

    private static Variant unsigned(int value) {
        return Variant.ofUInt32(uint(Math.max(0, value)));
    }

    private static DateTime dateTime(Instant instant) {
        return instant == null ? DateTime.MIN_VALUE : new DateTime(instant);
    }

    private record Initial(Variant value, StatusCode status) {
    }

    private static Initial initial(WellVariable variable, int windowSize) {
        return switch (variable) {
            case RISK_LEVEL -> new Initial(Variant.ofInt32(RiskLevel.NORMAL.ordinal()), WAITING);
            case LOSS, TOLERANCE -> new Initial(Variant.NULL_VALUE, WAITING);
            case VALVE_STATE -> new Initial(Variant.ofString(""), WAITING);
            case DATA_STATE -> new Initial(Variant.ofInt32(DataState.INVALID.ordinal()), GOOD);
            case MODEL_VERSION, SAMPLES_BUFFERED -> new Initial(unsigned(0), GOOD);
            case WINDOW_SIZE -> new Initial(unsigned(windowSize), GOOD);
            case LAST_TRAINED_TIME -> new Initial(Variant.ofDateTime(DateTime.MIN_VALUE), GOOD);
            // Part of the judgement: nothing has contributed before a model judged a sample.
            case TOP_CONTRIBUTOR -> new Initial(Variant.ofString(""), WAITING);
        };
    }

    /** One variable and the last value it published with Good status (null if none yet). */
    private static final class Slot {
        final UaVariableNode node;
        Variant lastGood;

        Slot(UaVariableNode node, Variant lastGood) {
            this.node = node;
            this.lastGood = lastGood;
        }
    }
}
