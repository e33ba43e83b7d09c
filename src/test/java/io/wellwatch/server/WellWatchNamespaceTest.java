package io.wellwatch.server;

import static io.wellwatch.server.UaTestSupport.browse;
import static io.wellwatch.server.UaTestSupport.child;
import static io.wellwatch.server.UaTestSupport.read;
import static io.wellwatch.server.UaTestSupport.readAttribute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.wellwatch.core.Assessment;
import io.wellwatch.core.DataState;
import io.wellwatch.core.ModelTrained;
import io.wellwatch.core.RiskLevel;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.sdk.core.typetree.DataTypeTree;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.structured.ContentFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.EnumDefinition;
import org.eclipse.milo.opcua.stack.core.types.structured.EnumField;
import org.eclipse.milo.opcua.stack.core.types.structured.EventFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.SimpleAttributeOperand;
import org.eclipse.milo.opcua.stack.core.types.structured.WriteValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The information model as an independent OPC UA client sees it: one server and one client for
 * the class, each test on its own well where it changes values.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WellWatchNamespaceTest {

    private static final String WELL_1 = "WELL-00001";
    private static final String WELL_2 = "WELL-00002";
    private static final int WINDOW = 500;
    private static final String VALVES = "DHSV=1;W1=1;W2=1;M1=1;XO=0";

    private WellWatchServer server;
    private OpcUaClient client;
    private int ns;

    @BeforeAll
    void startServerAndClient(@TempDir Path pkiDir) throws Exception {
        server = new WellWatchServer(UaTestSupport.loopbackConfig(UaTestSupport.freePort()), pkiDir);
        server.addWell(WELL_1, WINDOW);   // before start
        server.start();
        server.addWell(WELL_2, WINDOW);   // after start
        client = UaTestSupport.connect(server.endpointUrl());
        ns = client.readNamespaceTable().getIndex(WellWatchModel.NAMESPACE_URI).intValue();
    }

    @AfterAll
    void stopServerAndClient() throws Exception {
        if (client != null) {
            client.disconnect();
        }
        if (server != null) {
            server.stop();
        }
    }

    // ---- Structure -------------------------------------------------------------------------

    @Test
    void wellsAreBrowsableUnderObjectsWellWatchWells() throws Exception {
        NodeId wellWatch = child(client, NodeIds.ObjectsFolder, NodeIds.Organizes, qn("WellWatch"));
        NodeId wells = child(client, wellWatch, NodeIds.Organizes, qn("Wells"));

        assertThat(typeDefinition(NodeIds.ObjectsFolder, wellWatch)).isEqualTo(NodeIds.FolderType);
        assertThat(typeDefinition(wellWatch, wells)).isEqualTo(NodeIds.FolderType);
        assertThat(eventNotifier(wellWatch)).isEqualTo(1);
        assertThat(eventNotifier(wells)).isEqualTo(1);

        for (String wellId : List.of(WELL_1, WELL_2)) {
            NodeId well = child(client, wells, NodeIds.Organizes, qn(wellId));
            assertThat(well).isEqualTo(new NodeId(ns, "WellWatch/Wells/" + wellId));
            assertThat(readAttribute(client, well, AttributeId.NodeClass)).isEqualTo(NodeClass.Object.getValue());
            assertThat(eventNotifier(well)).as("SubscribeToEvents|HistoryRead").isEqualTo(5);

            NodeId type = typeDefinition(wells, well);
            assertThat(readAttribute(client, type, AttributeId.BrowseName)).isEqualTo(qn("WellAnomalyType"));

            List<ReferenceDescription> components = browse(client, well, NodeIds.HasComponent, BrowseDirection.Forward);
            assertThat(components).extracting(ReferenceDescription::getBrowseName)
                    .containsExactlyInAnyOrderElementsOf(allComponentNames());
            for (ReferenceDescription component : components) {
                if (!allVariableNames().contains(component.getBrowseName())) {
                    continue; // AnomalyAlarm and Retrain: see AnomalyAlarmTest
                }
                assertThat(component.getNodeClass()).isEqualTo(NodeClass.Variable);
                assertThat(component.getNodeId().toNodeId(client.getNamespaceTable()).orElseThrow())
                        .isEqualTo(new NodeId(ns, "WellWatch/Wells/" + wellId + "/" + component.getBrowseName().name()));
            }
        }
    }

    @Test
    void serverObjectHasNotifierWellWatch() throws Exception {
        assertThat(browse(client, NodeIds.Server, NodeIds.HasNotifier, BrowseDirection.Forward))
                .extracting(ReferenceDescription::getBrowseName)
                .contains(qn("WellWatch"));
        assertThat(eventNotifier(NodeIds.Server) & 1).isEqualTo(1);
    }

    @Test
    void riskLevelAndDataStateUseTheCustomEnumerations() throws Exception {
        DataTypeTree dataTypes = client.readDataTypeTree();
        checkEnumeration(WellVariable.RISK_LEVEL, "RiskLevelEnumeration",
                List.of("Normal", "Low", "Medium", "High"), RiskLevel.values().length, dataTypes);
        checkEnumeration(WellVariable.DATA_STATE, "DataStateEnumeration",
                List.of("Normal", "Analyzing", "Invalid"), DataState.values().length, dataTypes);
    }

    private void checkEnumeration(WellVariable variable, String typeName, List<String> names, int coreValues,
                                  DataTypeTree dataTypes) throws Exception {
        NodeId dataType = (NodeId) readAttribute(client, variableNode(WELL_1, variable), AttributeId.DataType);
        assertThat(dataType).isEqualTo(new NodeId(ns, "Types/" + typeName));
        assertThat(readAttribute(client, dataType, AttributeId.BrowseName)).isEqualTo(qn(typeName));
        assertThat(readAttribute(client, dataType, AttributeId.NodeClass)).isEqualTo(NodeClass.DataType.getValue());
        assertThat(readAttribute(client, dataType, AttributeId.IsAbstract)).isEqualTo(false);
        assertThat(superTypes(dataType)).containsExactly(NodeIds.Enumeration);

        NodeId enumStrings = child(client, dataType, NodeIds.HasProperty, new QualifiedName(0, "EnumStrings"));
        LocalizedText[] texts = (LocalizedText[]) readAttribute(client, enumStrings, AttributeId.Value);
        assertThat(Arrays.stream(texts).map(LocalizedText::text)).containsExactlyElementsOf(names);
        assertThat(names).hasSize(coreValues);

        // A generic client treats it exactly like a standard enumeration (ServerState).
        assertThat(dataTypes.isEnumType(dataType)).isTrue();
        assertThat(dataTypes.getBuiltinType(dataType)).isEqualTo(dataTypes.getBuiltinType(NodeIds.ServerState));
        assertThat(dataTypes.getBackingClass(dataType)).isEqualTo(dataTypes.getBackingClass(NodeIds.ServerState));
        assertThat(dataTypes.getDataTypeDefinition(dataType)).isInstanceOfSatisfying(EnumDefinition.class,
                definition -> assertThat(Arrays.stream(definition.getFields()).map(EnumField::getName))
                        .containsExactlyElementsOf(names));
    }

    @Test
    void wellAnomalyTypeDeclaresEveryVariableAsMandatory() throws Exception {
        NodeId type = new NodeId(ns, "Types/WellAnomalyType");
        assertThat(readAttribute(client, type, AttributeId.NodeClass)).isEqualTo(NodeClass.ObjectType.getValue());
        assertThat(readAttribute(client, type, AttributeId.IsAbstract)).isEqualTo(false);
        assertThat(superTypes(type)).containsExactly(NodeIds.BaseObjectType);

        List<ReferenceDescription> declarations = browse(client, type, NodeIds.HasComponent, BrowseDirection.Forward);
        assertThat(declarations).extracting(ReferenceDescription::getBrowseName)
                .containsExactlyInAnyOrderElementsOf(allComponentNames());
        for (ReferenceDescription declaration : declarations) {
            NodeId id = declaration.getNodeId().toNodeId(client.getNamespaceTable()).orElseThrow();
            assertThat(modellingRule(id)).isEqualTo(NodeIds.ModellingRule_Mandatory);
            if (!allVariableNames().contains(declaration.getBrowseName())) {
                continue;
            }
            WellVariable variable = variableNamed(declaration.getBrowseName().name());
            assertThat(readAttribute(client, id, AttributeId.DataType))
                    .isEqualTo(readAttribute(client, variableNode(WELL_1, variable), AttributeId.DataType));
        }
    }

    @Test
    void modelRetrainedEventTypeHasItsSixFields() throws Exception {
        NodeId type = new NodeId(ns, "Types/ModelRetrainedEventType");
        assertThat(readAttribute(client, type, AttributeId.BrowseName)).isEqualTo(qn("ModelRetrainedEventType"));
        assertThat(superTypes(type)).containsExactly(NodeIds.BaseEventType);

        Map<String, NodeId> expected = Map.of(
                "WellId", NodeIds.String, "ValveState", NodeIds.String, "ModelVersion", NodeIds.UInt32,
                "Tolerance", NodeIds.Double, "TrainingLoss", NodeIds.Double, "SampleCount", NodeIds.UInt32);
        List<ReferenceDescription> properties = browse(client, type, NodeIds.HasProperty, BrowseDirection.Forward);
        assertThat(properties).extracting(r -> r.getBrowseName().name())
                .containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (ReferenceDescription property : properties) {
            assertThat(property.getBrowseName().namespaceIndex().intValue()).isEqualTo(ns);
            NodeId id = property.getNodeId().toNodeId(client.getNamespaceTable()).orElseThrow();
            assertThat(readAttribute(client, id, AttributeId.DataType)).isEqualTo(expected.get(property.getBrowseName().name()));
            assertThat(modellingRule(id)).isEqualTo(NodeIds.ModellingRule_Mandatory);
        }
    }

    // ---- Access --------------------------------------------------------------------------

    @Test
    void variablesAreReadOnlyScalars() throws Exception {
        for (WellVariable variable : WellVariable.values()) {
            NodeId node = variableNode(WELL_1, variable);
            int history = variable.historizing() ? 0x04 : 0;
            assertThat(((UByte) readAttribute(client, node, AttributeId.AccessLevel)).intValue())
                    .as("AccessLevel of %s", variable).isEqualTo(0x01 | history);
            assertThat(((UByte) readAttribute(client, node, AttributeId.UserAccessLevel)).intValue())
                    .as("UserAccessLevel of %s", variable).isEqualTo(0x01 | history);
            assertThat(readAttribute(client, node, AttributeId.Historizing)).isEqualTo(variable.historizing());
            assertThat(readAttribute(client, node, AttributeId.ValueRank)).isEqualTo(-1);
            assertThat(readAttribute(client, node, AttributeId.WriteMask)).isEqualTo(uint(0));
        }
    }

    @Test
    void clientWritesAreRefused() throws Exception {
        List<WriteValue> writes = List.of(
                new WriteValue(variableNode(WELL_1, WellVariable.RISK_LEVEL), AttributeId.Value.uid(), null,
                        new DataValue(Variant.ofInt32(3))),
                new WriteValue(variableNode(WELL_1, WellVariable.LOSS), AttributeId.Value.uid(), null,
                        new DataValue(Variant.ofDouble(42.0))),
                new WriteValue(variableNode(WELL_1, WellVariable.MODEL_VERSION), AttributeId.Value.uid(), null,
                        new DataValue(Variant.ofUInt32(uint(9)))),
                new WriteValue(variableNode(WELL_1, WellVariable.TOP_CONTRIBUTOR), AttributeId.DisplayName.uid(),
                        null, new DataValue(Variant.ofLocalizedText(LocalizedText.english("x")))));

        StatusCode[] results = client.write(writes).getResults();

        assertThat(results).hasSize(writes.size()).allSatisfy(status -> assertThat(status.value())
                .isIn(StatusCodes.Bad_NotWritable, StatusCodes.Bad_UserAccessDenied));
        assertThat(read(client, variableNode(WELL_1, WellVariable.MODEL_VERSION), AttributeId.Value).value().value())
                .isEqualTo(uint(0));
    }

    // ---- Values ------------------------------------------------------------------------------

    @Test
    void newWellStartsWithDocumentedValues() throws Exception {
        String well = addWell("WELL-INIT");

        Map<WellVariable, DataValue> values = readAll(well);

        assertThat(values.get(WellVariable.MODEL_VERSION)).satisfies(good(uint(0)));
        assertThat(values.get(WellVariable.SAMPLES_BUFFERED)).satisfies(good(uint(0)));
        assertThat(values.get(WellVariable.WINDOW_SIZE)).satisfies(good(uint(WINDOW)));
        assertThat(values.get(WellVariable.LAST_TRAINED_TIME)).satisfies(good(DateTime.MIN_VALUE));
        assertThat(values.get(WellVariable.TOP_CONTRIBUTOR)).satisfies(status(StatusCodes.Bad_WaitingForInitialData, ""));
        assertThat(values.get(WellVariable.DATA_STATE)).satisfies(good(DataState.INVALID.ordinal()));
        assertThat(values.get(WellVariable.RISK_LEVEL))
                .satisfies(status(StatusCodes.Bad_WaitingForInitialData, RiskLevel.NORMAL.ordinal()));
        assertThat(values.get(WellVariable.VALVE_STATE)).satisfies(status(StatusCodes.Bad_WaitingForInitialData, ""));
        assertThat(values.get(WellVariable.LOSS).statusCode().value()).isEqualTo(StatusCodes.Bad_WaitingForInitialData);
        assertThat(values.get(WellVariable.TOLERANCE).statusCode().value()).isEqualTo(StatusCodes.Bad_WaitingForInitialData);
    }

    @Test
    void assessmentIsReadAndSubscribedWithItsSourceTimestamp() throws Exception {
        String well = addWell("WELL-ASSESS");
        BlockingQueue<DataValue> riskUpdates = new LinkedBlockingQueue<>();
        OpcUaSubscription subscription = subscribe(variableNode(well, WellVariable.RISK_LEVEL), riskUpdates);
        try {
            Instant sampleTime = Instant.parse("2017-02-01T02:02:07.250Z");
            Instant trainedAt = Instant.parse("2017-02-01T01:00:00Z");
            DateTime before = DateTime.now();
            server.listener().onAssessment(new Assessment(well, sampleTime, DataState.ANALYZING, RiskLevel.MEDIUM,
                    0.42, 0.1, 3, VALVES, 120, 500, trainedAt, "P-PDG"));
            Map<WellVariable, DataValue> values = readAll(well);
            DateTime after = DateTime.now();

            assertThat(values.get(WellVariable.RISK_LEVEL)).satisfies(good(RiskLevel.MEDIUM.ordinal()));
            assertThat(values.get(WellVariable.LOSS)).satisfies(good(0.42));
            assertThat(values.get(WellVariable.TOLERANCE)).satisfies(good(0.1));
            assertThat(values.get(WellVariable.MODEL_VERSION)).satisfies(good(uint(3)));
            assertThat(values.get(WellVariable.VALVE_STATE)).satisfies(good(VALVES));
            assertThat(values.get(WellVariable.DATA_STATE)).satisfies(good(DataState.ANALYZING.ordinal()));
            assertThat(values.get(WellVariable.SAMPLES_BUFFERED)).satisfies(good(uint(120)));
            assertThat(values.get(WellVariable.WINDOW_SIZE)).satisfies(good(uint(500)));
            assertThat(values.get(WellVariable.LAST_TRAINED_TIME)).satisfies(good(new DateTime(trainedAt)));
            assertThat(values.get(WellVariable.TOP_CONTRIBUTOR)).satisfies(good("P-PDG"));
            assertThat(values.values()).allSatisfy(value -> {
                assertThat(value.sourceTime().getJavaInstant()).isEqualTo(sampleTime);
                // Milo stamps ServerTimestamp when it serves the value (read or sampling).
                assertThat(value.serverTime().getUtcTime()).isBetween(before.getUtcTime(), after.getUtcTime());
            });

            DataValue notified = awaitValue(riskUpdates, RiskLevel.MEDIUM.ordinal());
            assertThat(notified.statusCode().isGood()).isTrue();
            assertThat(notified.sourceTime().getJavaInstant()).isEqualTo(sampleTime);
        } finally {
            subscription.delete();
        }
    }

    @Test
    void invalidSampleOrMissingScoreKeepsLastUsableValue() throws Exception {
        String well = addWell("WELL-INVALID");
        Instant t0 = Instant.parse("2017-02-01T02:00:00Z");

        // No model yet: no loss, no tolerance. Nothing usable to hold on to.
        server.listener().onAssessment(new Assessment(well, t0, DataState.NORMAL, RiskLevel.NORMAL,
                Double.NaN, Double.NaN, 0, VALVES, 10, WINDOW, null, ""));
        Map<WellVariable, DataValue> values = readAll(well);
        assertThat(values.get(WellVariable.LOSS).statusCode().value()).isEqualTo(StatusCodes.Bad_WaitingForInitialData);
        assertThat(values.get(WellVariable.TOLERANCE).statusCode().value()).isEqualTo(StatusCodes.Bad_WaitingForInitialData);
        assertThat(values.get(WellVariable.RISK_LEVEL)).satisfies(good(RiskLevel.NORMAL.ordinal()));
        assertThat(values.get(WellVariable.LAST_TRAINED_TIME)).satisfies(good(DateTime.MIN_VALUE));

        server.listener().onAssessment(new Assessment(well, t0.plusSeconds(1), DataState.ANALYZING, RiskLevel.LOW,
                0.2, 0.1, 1, VALVES, 10, WINDOW, t0, "P-TPT"));

        Instant t2 = t0.plusSeconds(2);
        server.listener().onAssessment(new Assessment(well, t2, DataState.INVALID, RiskLevel.NORMAL,
                Double.NaN, 0.1, 1, VALVES, 10, WINDOW, t0, ""));
        values = readAll(well);
        assertThat(values.get(WellVariable.LOSS))
                .satisfies(status(StatusCodes.Uncertain_LastUsableValue, 0.2));
        assertThat(values.get(WellVariable.RISK_LEVEL))
                .satisfies(status(StatusCodes.Uncertain_LastUsableValue, RiskLevel.LOW.ordinal()));
        assertThat(values.get(WellVariable.TOP_CONTRIBUTOR))
                .satisfies(status(StatusCodes.Uncertain_LastUsableValue, "P-TPT"));
        assertThat(values.get(WellVariable.DATA_STATE)).satisfies(good(DataState.INVALID.ordinal()));
        assertThat(values.get(WellVariable.TOLERANCE)).satisfies(good(0.1));
        assertThat(values.get(WellVariable.LOSS).sourceTime().getJavaInstant()).isEqualTo(t2);

        // Valid again, but the model warms up after the gap: the held judgement stays Uncertain
        // (a Good value here would read as a fresh Low), while DataState says the sample is valid.
        Instant t3 = t0.plusSeconds(3);
        server.listener().onAssessment(new Assessment(well, t3, DataState.NORMAL, RiskLevel.LOW,
                0.2, 0.1, 1, VALVES, 10, WINDOW, t0, "P-TPT", false));
        values = readAll(well);
        assertThat(values.get(WellVariable.RISK_LEVEL))
                .satisfies(status(StatusCodes.Uncertain_LastUsableValue, RiskLevel.LOW.ordinal()));
        assertThat(values.get(WellVariable.LOSS)).satisfies(status(StatusCodes.Uncertain_LastUsableValue, 0.2));
        assertThat(values.get(WellVariable.DATA_STATE)).satisfies(good(DataState.NORMAL.ordinal()));
        assertThat(values.get(WellVariable.RISK_LEVEL).sourceTime().getJavaInstant()).isEqualTo(t3);

        server.listener().onAssessment(new Assessment(well, t0.plusSeconds(4), DataState.NORMAL, RiskLevel.NORMAL,
                0.05, 0.1, 1, VALVES, 11, WINDOW, t0, "P-MON-CKP"));
        assertThat(readAll(well).get(WellVariable.LOSS)).satisfies(good(0.05));
        assertThat(readAll(well).get(WellVariable.RISK_LEVEL)).satisfies(good(RiskLevel.NORMAL.ordinal()));
    }

    @Test
    void lostConnectionMarksEveryVariableBadNoCommunicationAndKeepsValues() throws Exception {
        String well = addWell("WELL-COMMS");
        Instant t0 = Instant.parse("2017-02-01T03:00:00Z");
        server.listener().onAssessment(new Assessment(well, t0, DataState.ANALYZING, RiskLevel.HIGH,
                0.9, 0.1, 2, VALVES, 50, WINDOW, t0, "P-PDG"));

        server.listener().onConnectionState(well, false);
        Map<WellVariable, DataValue> lost = readAll(well);
        assertThat(lost.values()).allSatisfy(value ->
                assertThat(value.statusCode().value()).isEqualTo(StatusCodes.Bad_NoCommunication));
        assertThat(lost.get(WellVariable.RISK_LEVEL).value().value()).isEqualTo(RiskLevel.HIGH.ordinal());
        assertThat(lost.get(WellVariable.LOSS).value().value()).isEqualTo(0.9);
        assertThat(lost.get(WellVariable.LOSS).sourceTime().getJavaInstant()).isEqualTo(t0);

        // Stale output of the detector while the link is down does not hide the outage...
        server.listener().onAssessment(new Assessment(well, t0.plusSeconds(1), DataState.INVALID, RiskLevel.NORMAL,
                Double.NaN, 0.1, 2, VALVES, 50, WINDOW, t0, ""));
        server.listener().onConnectionState(well, true);
        assertThat(readAll(well).values()).allSatisfy(value ->
                assertThat(value.statusCode().value()).isEqualTo(StatusCodes.Bad_NoCommunication));

        // ...and the next assessment after reconnecting is Good again.
        server.listener().onAssessment(new Assessment(well, t0.plusSeconds(2), DataState.NORMAL, RiskLevel.NORMAL,
                0.03, 0.1, 2, VALVES, 51, WINDOW, t0, "P-TPT"));
        Map<WellVariable, DataValue> back = readAll(well);
        assertThat(back.values()).allSatisfy(value -> assertThat(value.statusCode().isGood()).isTrue());
        assertThat(back.get(WellVariable.LOSS).value().value()).isEqualTo(0.03);
    }

    @Test
    void updatesForUnknownWellsAreDropped() {
        assertThatCode(() -> {
            server.listener().onAssessment(new Assessment("NO-SUCH-WELL", Instant.now(), DataState.NORMAL,
                    RiskLevel.NORMAL, 0.1, 0.1, 1, VALVES, 1, WINDOW, null, ""));
            server.listener().onConnectionState("NO-SUCH-WELL", false);
            server.listener().onModelTrained(new ModelTrained("NO-SUCH-WELL", VALVES, 1, 0.1, 0.1, 1, Instant.now()));
        }).doesNotThrowAnyException();
        assertThat(server.namespace().wellIds()).doesNotContain("NO-SUCH-WELL");
    }

    @Test
    void wellIdsThatCannotBeBrowseNamesAreRejected() {
        assertThatThrownBy(() -> server.addWell(" ", WINDOW)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> server.addWell("A/B", WINDOW)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> server.addWell("WELL-NEG", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- Events ----------------------------------------------------------------------------

    @Test
    void modelRetrainedEventReachesServerAndWellSubscribers() throws Exception {
        NodeId eventType = new NodeId(ns, "Types/ModelRetrainedEventType");
        EventFilter filter = new EventFilter(new SimpleAttributeOperand[]{
                field(NodeIds.BaseEventType, new QualifiedName(0, "EventId")),
                field(NodeIds.BaseEventType, new QualifiedName(0, "EventType")),
                field(NodeIds.BaseEventType, new QualifiedName(0, "SourceNode")),
                field(NodeIds.BaseEventType, new QualifiedName(0, "SourceName")),
                field(NodeIds.BaseEventType, new QualifiedName(0, "Time")),
                field(NodeIds.BaseEventType, new QualifiedName(0, "Message")),
                field(NodeIds.BaseEventType, new QualifiedName(0, "Severity")),
                field(eventType, qn("WellId")),
                field(eventType, qn("ValveState")),
                field(eventType, qn("ModelVersion")),
                field(eventType, qn("Tolerance")),
                field(eventType, qn("TrainingLoss")),
                field(eventType, qn("SampleCount"))},
                new ContentFilter(null));

        BlockingQueue<Variant[]> atServer = new LinkedBlockingQueue<>();
        BlockingQueue<Variant[]> atWellWatch = new LinkedBlockingQueue<>();
        BlockingQueue<Variant[]> atWell1 = new LinkedBlockingQueue<>();
        BlockingQueue<Variant[]> atWell2 = new LinkedBlockingQueue<>();
        OpcUaSubscription subscription = new OpcUaSubscription(client, 50.0);
        subscription.create();
        try {
            List<OpcUaMonitoredItem> items = new ArrayList<>();
            items.add(eventItem(NodeIds.Server, filter, atServer));
            items.add(eventItem(new NodeId(ns, "WellWatch"), filter, atWellWatch));
            items.add(eventItem(server.namespace().wellNodeId(WELL_1), filter, atWell1));
            items.add(eventItem(server.namespace().wellNodeId(WELL_2), filter, atWell2));
            subscription.addMonitoredItems(items);
            subscription.synchronizeMonitoredItems();
            assertThat(items).allSatisfy(item -> assertThat(item.getCreateResult().orElseThrow().isGood()).isTrue());

            Instant trainedAt = Instant.parse("2017-02-01T04:00:00.5Z");
            server.listener().onModelTrained(new ModelTrained(WELL_1, VALVES, 3, 0.125, 0.0625, 480, trainedAt));
            server.listener().onModelTrained(new ModelTrained(WELL_1, VALVES, 4, 0.25, 0.03125, 500, trainedAt));

            Variant[] first = atServer.poll(10, TimeUnit.SECONDS);
            Variant[] second = atServer.poll(10, TimeUnit.SECONDS);
            assertThat(first).as("event at Server").isNotNull();
            assertThat(second).as("second event at Server").isNotNull();

            List<Object> fields = Arrays.stream(first).map(Variant::value).collect(Collectors.toList());
            assertThat(fields.get(0)).isInstanceOf(ByteString.class);
            assertThat(((ByteString) fields.get(0)).length()).isGreaterThan(0);
            assertThat(fields.get(0)).isNotEqualTo(second[0].value());
            assertThat(fields.get(1)).isEqualTo(eventType);
            assertThat(fields.get(2)).isEqualTo(server.namespace().wellNodeId(WELL_1));
            assertThat(fields.get(3)).isEqualTo(WELL_1);
            assertThat(((DateTime) fields.get(4)).getJavaInstant()).isEqualTo(trainedAt);
            assertThat(((LocalizedText) fields.get(5)).text()).contains(WELL_1).contains("v3");
            assertThat(fields.get(6)).isEqualTo(ushort(100));
            assertThat(fields.subList(7, 13))
                    .containsExactly(WELL_1, VALVES, uint(3), 0.125, 0.0625, uint(480));
            assertThat(second[9].value()).isEqualTo(uint(4));

            assertThat(atWellWatch.poll(10, TimeUnit.SECONDS)).as("event at WellWatch").isNotNull();
            assertThat(atWell1.poll(10, TimeUnit.SECONDS)).as("event at the well").isNotNull();
            Thread.sleep(300); // a few publishing intervals: nothing may arrive for the other well
            assertThat(atWell2).isEmpty();
        } finally {
            subscription.delete();
        }
    }

    // ---- Helpers ---------------------------------------------------------------------------

    private String addWell(String wellId) {
        server.addWell(wellId, WINDOW);
        return wellId;
    }

    private QualifiedName qn(String name) {
        return new QualifiedName(ns, name);
    }

    /** The variables plus the AnomalyAlarm condition and the Retrain method. */
    private List<QualifiedName> allComponentNames() {
        List<QualifiedName> names = new ArrayList<>(allVariableNames());
        names.add(qn("AnomalyAlarm"));
        names.add(qn("Retrain"));
        return names;
    }

    private List<QualifiedName> allVariableNames() {
        return Arrays.stream(WellVariable.values()).map(v -> qn(v.browseName())).collect(Collectors.toList());
    }

    private static WellVariable variableNamed(String browseName) {
        return Arrays.stream(WellVariable.values()).filter(v -> v.browseName().equals(browseName)).findFirst()
                .orElseThrow();
    }

    private NodeId variableNode(String wellId, WellVariable variable) {
        return new NodeId(ns, "WellWatch/Wells/" + wellId + "/" + variable.browseName());
    }

    private Map<WellVariable, DataValue> readAll(String wellId) throws Exception {
        List<NodeId> nodes = Arrays.stream(WellVariable.values()).map(v -> variableNode(wellId, v)).toList();
        List<DataValue> values = client.readValues(0,
                org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn.Both, nodes);
        Map<WellVariable, DataValue> byVariable = new EnumMap<>(WellVariable.class);
        for (WellVariable variable : WellVariable.values()) {
            byVariable.put(variable, values.get(variable.ordinal()));
        }
        return byVariable;
    }

    private static java.util.function.Consumer<DataValue> good(Object expected) {
        return value -> {
            assertThat(value.statusCode().isGood()).as("status of %s", value).isTrue();
            assertThat(value.value().value()).isEqualTo(expected);
        };
    }

    private static java.util.function.Consumer<DataValue> status(long statusCode, Object expected) {
        return value -> {
            assertThat(value.statusCode().value()).as("status of %s", value).isEqualTo(statusCode);
            assertThat(value.value().value()).isEqualTo(expected);
        };
    }

    private int eventNotifier(NodeId node) throws Exception {
        return ((UByte) readAttribute(client, node, AttributeId.EventNotifier)).intValue();
    }

    private NodeId typeDefinition(NodeId parent, NodeId node) throws Exception {
        return browse(client, parent, NodeIds.HierarchicalReferences, BrowseDirection.Forward).stream()
                .filter(r -> r.getNodeId().toNodeId(client.getNamespaceTable()).orElseThrow().equals(node))
                .map(r -> r.getTypeDefinition().toNodeId(client.getNamespaceTable()).orElseThrow())
                .findFirst().orElseThrow();
    }

    private List<NodeId> superTypes(NodeId type) throws Exception {
        return browse(client, type, NodeIds.HasSubtype, BrowseDirection.Inverse).stream()
                .map(r -> r.getNodeId().toNodeId(client.getNamespaceTable()).orElseThrow())
                .toList();
    }

    private NodeId modellingRule(NodeId declaration) throws Exception {
        List<ReferenceDescription> rules = browse(client, declaration, NodeIds.HasModellingRule, BrowseDirection.Forward);
        assertThat(rules).hasSize(1);
        return rules.get(0).getNodeId().toNodeId(client.getNamespaceTable()).orElseThrow();
    }

    private OpcUaSubscription subscribe(NodeId node, BlockingQueue<DataValue> sink) throws Exception {
        OpcUaSubscription subscription = new OpcUaSubscription(client, 50.0);
        subscription.create();
        OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(node);
        item.setSamplingInterval(20.0);
        item.setDataValueListener((i, value) -> sink.add(value));
        subscription.addMonitoredItem(item);
        subscription.synchronizeMonitoredItems();
        return subscription;
    }

    private static DataValue awaitValue(BlockingQueue<DataValue> values, Object expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            DataValue value = values.poll(100, TimeUnit.MILLISECONDS);
            if (value != null && expected.equals(value.value().value())) {
                return value;
            }
        }
        throw new AssertionError("no notification with value " + expected);
    }

    private static SimpleAttributeOperand field(NodeId type, QualifiedName name) {
        return new SimpleAttributeOperand(type, new QualifiedName[]{name}, AttributeId.Value.uid(), null);
    }

    private static OpcUaMonitoredItem eventItem(NodeId notifier, EventFilter filter, BlockingQueue<Variant[]> sink) {
        OpcUaMonitoredItem item = OpcUaMonitoredItem.newEventItem(notifier, filter);
        item.setQueueSize(uint(100)); // the default of 1 keeps one of two events fired back to back
        item.setEventValueListener((i, fields) -> sink.add(fields));
        return item;
    }
}
