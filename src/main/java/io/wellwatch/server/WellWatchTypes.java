package io.wellwatch.server;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.core.ValueRanks;
import org.eclipse.milo.opcua.sdk.server.ObjectTypeManager;
import org.eclipse.milo.opcua.sdk.server.model.objects.BaseEventTypeNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaDataTypeNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaNodeContext;
import org.eclipse.milo.opcua.sdk.server.nodes.UaMethodNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaObjectNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaObjectTypeNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.nodes.factories.NodeFactory;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.structured.EnumDefinition;
import org.eclipse.milo.opcua.stack.core.types.structured.EnumField;

/**
 * The type nodes of the WellWatch namespace: two enumeration DataTypes, WellAnomalyType with its
 * instance declarations (variables, AnomalyAlarm, Retrain), and ModelRetrainedEventType with its event fields. Also the one recipe
 * for a WellAnomalyType variable, used for declarations and well instances alike.
 */
final class WellWatchTypes {

    /**
     * Enumeration names from the contract, in value order; a value is the ordinal of
     * {@link io.wellwatch.core.RiskLevel} / {@link io.wellwatch.core.DataState}.
     */
    private static final List<String> RISK_LEVEL_NAMES = List.of("Normal", "Low", "Medium", "High");
    private static final List<String> DATA_STATE_NAMES = List.of("Normal", "Analyzing", "Invalid");

    /** ModelRetrainedEventType fields and their DataTypes, in contract order. */
    private static final List<Field> EVENT_FIELDS = List.of(
            new Field(WellWatchModel.FIELD_WELL_ID, NodeIds.String),
            new Field(WellWatchModel.FIELD_VALVE_STATE, NodeIds.String),
            new Field(WellWatchModel.FIELD_MODEL_VERSION, NodeIds.UInt32),
            new Field(WellWatchModel.FIELD_TOLERANCE, NodeIds.Double),
            new Field(WellWatchModel.FIELD_TRAINING_LOSS, NodeIds.Double),
            new Field(WellWatchModel.FIELD_SAMPLE_COUNT, NodeIds.UInt32));

    private record Field(String name, NodeId dataType) {
    }

    private final UaNodeContext context;
    private final UShort namespaceIndex;

    final NodeId riskLevelEnumeration;
    final NodeId dataStateEnumeration;
    final NodeId wellAnomalyType;
    final NodeId modelRetrainedEventType;

    private WellWatchTypes(UaNodeContext context, UShort namespaceIndex) {
        this.context = context;
        this.namespaceIndex = namespaceIndex;
        riskLevelEnumeration = nodeId(WellWatchModel.typeId(WellWatchModel.RISK_LEVEL_ENUMERATION));
        dataStateEnumeration = nodeId(WellWatchModel.typeId(WellWatchModel.DATA_STATE_ENUMERATION));
        wellAnomalyType = nodeId(WellWatchModel.typeId(WellWatchModel.WELL_ANOMALY_TYPE));
        modelRetrainedEventType = nodeId(WellWatchModel.typeId(WellWatchModel.MODEL_RETRAINED_EVENT_TYPE));
    }

    /** Adds every type node to the namespace's node manager and registers the event type. */
    static WellWatchTypes create(UaNodeContext context, UShort namespaceIndex) {
        WellWatchTypes types = new WellWatchTypes(context, namespaceIndex);
        types.addEnumeration(types.riskLevelEnumeration, WellWatchModel.RISK_LEVEL_ENUMERATION,
                RISK_LEVEL_NAMES, "Graded anomaly risk of a well");
        types.addEnumeration(types.dataStateEnumeration, WellWatchModel.DATA_STATE_ENUMERATION,
                DATA_STATE_NAMES, "State of the latest sample of a well");
        types.addWellAnomalyType();
        types.addModelRetrainedEventType();
        return types;
    }

    NodeId dataType(WellVariable variable) {
        return switch (variable.kind()) {
            case RISK_LEVEL_ENUM -> riskLevelEnumeration;
            case DATA_STATE_ENUM -> dataStateEnumeration;
            case DOUBLE -> NodeIds.Double;
            case UINT32 -> NodeIds.UInt32;
            case STRING -> NodeIds.String;
            case DATE_TIME -> NodeIds.DateTime;
        };
    }

    /**
     * Builds (does not add) a WellAnomalyType variable: scalar, BaseDataVariableType, readable
     * only (plus HistoryRead and Historizing where the contract says so), no writable attributes.
     */
    UaVariableNode newVariable(NodeId nodeId, WellVariable variable, DataValue initialValue) {
        Set<AccessLevel> access = variable.historizing()
                ? EnumSet.of(AccessLevel.CurrentRead, AccessLevel.HistoryRead)
                : EnumSet.of(AccessLevel.CurrentRead);
        return new UaVariableNode.UaVariableNodeBuilder(context)
                .setNodeId(nodeId)
                .setBrowseName(qualifiedName(variable.browseName()))
                .setDisplayName(LocalizedText.english(variable.browseName()))
                .setDescription(LocalizedText.english(variable.description()))
                .setWriteMask(uint(0))
                .setUserWriteMask(uint(0))
                .setDataType(dataType(variable))
                .setValueRank(ValueRanks.Scalar)
                .setAccessLevel(access)
                .setUserAccessLevel(access)
                .setHistorizing(variable.historizing())
                .setTypeDefinition(NodeIds.BaseDataVariableType)
                .setValue(initialValue)
                .build();
    }

    QualifiedName qualifiedName(String name) {
        return new QualifiedName(namespaceIndex, name);
    }

    NodeId nodeId(String identifier) {
        return new NodeId(namespaceIndex, identifier);
    }

    private void addEnumeration(NodeId id, String name, List<String> names, String description) {
        var dataType = new UaDataTypeNode(context, id, qualifiedName(name), LocalizedText.english(name),
                LocalizedText.english(description), uint(0), uint(0), false);
        add(dataType);
        dataType.addReference(new Reference(id, NodeIds.HasSubtype, NodeIds.Enumeration.expanded(), false));

        LocalizedText[] texts = names.stream().map(LocalizedText::english).toArray(LocalizedText[]::new);
        EnumField[] fields = new EnumField[names.size()];
        for (int value = 0; value < fields.length; value++) {
            fields[value] = new EnumField((long) value, texts[value], LocalizedText.NULL_VALUE, names.get(value));
        }
        // OPC UA 1.04+ clients read the DataTypeDefinition; older ones the EnumStrings property.
        dataType.setDataTypeDefinition(new EnumDefinition(fields));

        UaVariableNode enumStrings = new UaVariableNode.UaVariableNodeBuilder(context)
                .setNodeId(nodeId(WellWatchModel.typeChildId(name, "EnumStrings")))
                .setBrowseName(new QualifiedName(0, "EnumStrings"))
                .setDisplayName(LocalizedText.english("EnumStrings"))
                .setDataType(NodeIds.LocalizedText)
                .setValueRank(ValueRanks.OneDimension)
                .setArrayDimensions(new UInteger[]{uint(texts.length)})
                .setAccessLevel(AccessLevel.READ_ONLY)
                .setUserAccessLevel(AccessLevel.READ_ONLY)
                .setTypeDefinition(NodeIds.PropertyType)
                .setValue(new DataValue(new Variant(texts)))
                .build();
        add(enumStrings);
        enumStrings.addReference(new Reference(enumStrings.getNodeId(), NodeIds.HasModellingRule,
                NodeIds.ModellingRule_Mandatory.expanded(), true));
        dataType.addReference(new Reference(id, NodeIds.HasProperty, enumStrings.getNodeId().expanded(), true));
    }

    private void addWellAnomalyType() {
        UaObjectTypeNode type = objectType(wellAnomalyType, WellWatchModel.WELL_ANOMALY_TYPE,
                "A monitored well: anomaly risk, model state and data state", NodeIds.BaseObjectType);
        for (WellVariable variable : WellVariable.values()) {
            UaVariableNode declaration = newVariable(
                    nodeId(WellWatchModel.typeChildId(WellWatchModel.WELL_ANOMALY_TYPE, variable.browseName())),
                    variable, new DataValue(Variant.NULL_VALUE));
            add(declaration);
            mandatory(declaration);
            type.addReference(new Reference(type.getNodeId(), NodeIds.HasComponent,
                    declaration.getNodeId().expanded(), true));
        }

        // AnomalyAlarm: an OffNormalAlarmType condition (its children are those of the standard type).
        NodeId alarmId = nodeId(WellWatchModel.typeChildId(WellWatchModel.WELL_ANOMALY_TYPE, WellWatchModel.ANOMALY_ALARM));
        UaObjectNode alarm = new UaObjectNode(context, alarmId, qualifiedName(WellWatchModel.ANOMALY_ALARM),
                LocalizedText.english(WellWatchModel.ANOMALY_ALARM),
                LocalizedText.english("Anomaly alarm of the well: active while RiskLevel is Low, Medium or High"),
                uint(0), uint(0), ubyte(0));
        add(alarm);
        alarm.addReference(new Reference(alarmId, NodeIds.HasTypeDefinition, NodeIds.OffNormalAlarmType.expanded(), true));
        mandatory(alarm);
        type.addReference(new Reference(type.getNodeId(), NodeIds.HasComponent, alarmId.expanded(), true));

        // Retrain: a method without arguments.
        UaMethodNode retrain = newRetrainMethod(
                nodeId(WellWatchModel.typeChildId(WellWatchModel.WELL_ANOMALY_TYPE, WellWatchModel.RETRAIN)));
        add(retrain);
        mandatory(retrain);
        type.addReference(new Reference(type.getNodeId(), NodeIds.HasComponent, retrain.getNodeId().expanded(), true));
    }

    /** Builds (does not add) a Retrain method node: no input or output arguments. */
    UaMethodNode newRetrainMethod(NodeId nodeId) {
        return UaMethodNode.builder(context)
                .setNodeId(nodeId)
                .setBrowseName(qualifiedName(WellWatchModel.RETRAIN))
                .setDisplayName(LocalizedText.english(WellWatchModel.RETRAIN))
                .setDescription(LocalizedText.english("Train now on the buffered normal samples of the current "
                        + "valve state; Bad_InvalidState when too few samples are buffered or a training is running"))
                .setExecutable(true)
                .setUserExecutable(true)
                .build();
    }

    private void addModelRetrainedEventType() {
        UaObjectTypeNode type = objectType(modelRetrainedEventType, WellWatchModel.MODEL_RETRAINED_EVENT_TYPE,
                "Raised after every successful (re)training of a well's model", NodeIds.BaseEventType);
        for (Field field : EVENT_FIELDS) {
            UaVariableNode property = new UaVariableNode.UaVariableNodeBuilder(context)
                    .setNodeId(nodeId(WellWatchModel.typeChildId(WellWatchModel.MODEL_RETRAINED_EVENT_TYPE,
                            field.name())))
                    .setBrowseName(qualifiedName(field.name()))
                    .setDisplayName(LocalizedText.english(field.name()))
                    .setDataType(field.dataType())
                    .setValueRank(ValueRanks.Scalar)
                    .setAccessLevel(AccessLevel.READ_ONLY)
                    .setUserAccessLevel(AccessLevel.READ_ONLY)
                    .setTypeDefinition(NodeIds.PropertyType)
                    .build();
            add(property);
            mandatory(property);
            type.addReference(new Reference(type.getNodeId(), NodeIds.HasProperty,
                    property.getNodeId().expanded(), true));
        }

        // EventFactory instantiates event types through the ObjectTypeManager; without this it
        // would build a plain UaObjectNode, which cannot be fired.
        ObjectTypeManager.ObjectNodeConstructor eventNode = BaseEventTypeNode::new;
        context.getServer().getObjectTypeManager()
                .registerObjectType(modelRetrainedEventType, BaseEventTypeNode.class, eventNode);
        // NodeFactory caches instance declaration hierarchies JVM-wide by type NodeId; a server
        // started earlier in this JVM may have cached ours.
        NodeFactory.invalidateCachedIdh(modelRetrainedEventType);
    }

    private UaObjectTypeNode objectType(NodeId id, String name, String description, NodeId superType) {
        UaObjectTypeNode type = UaObjectTypeNode.builder(context)
                .setNodeId(id)
                .setBrowseName(qualifiedName(name))
                .setDisplayName(LocalizedText.english(name))
                .setDescription(LocalizedText.english(description))
                .setIsAbstract(false)
                .build();
        add(type);
        type.addReference(new Reference(id, NodeIds.HasSubtype, superType.expanded(), false));
        return type;
    }

    private static void mandatory(UaNode declaration) {
        declaration.addReference(new Reference(declaration.getNodeId(), NodeIds.HasModellingRule,
                NodeIds.ModellingRule_Mandatory.expanded(), true));
    }

    private void add(UaNode node) {
        context.getNodeManager().addNode(node);
    }
}
