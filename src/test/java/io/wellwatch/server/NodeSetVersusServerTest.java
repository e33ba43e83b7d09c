package io.wellwatch.server;

import static io.wellwatch.server.UaTestSupport.browse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.wellwatch.server.NodeSet2File.Ref;
import io.wellwatch.server.NodeSet2File.UaNodeEntry;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.EnumDefinition;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The NodeSet2 file and the running server agree: every node of the file is read and browsed on
 * a real WellWatchServer through a real Milo client and compared attribute by attribute and
 * reference by reference, and every type the server has in our namespace (with everything
 * hierarchically below it) is in the file. A difference fails with the node and the attribute.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeSetVersusServerTest {

    private static final String WELL = "WELL-00001";
    /** Roots of the four type hierarchies; every type in any namespace lies below one of them. */
    private static final List<NodeId> TYPE_ROOTS = List.of(
            NodeIds.BaseObjectType, NodeIds.BaseVariableType, NodeIds.BaseDataType, NodeIds.References);
    private static final Map<NodeId, String> REFERENCE_NAMES = Map.of(
            NodeIds.HasComponent, "HasComponent", NodeIds.HasProperty, "HasProperty",
            NodeIds.HasTypeDefinition, "HasTypeDefinition", NodeIds.HasModellingRule, "HasModellingRule",
            NodeIds.HasSubtype, "HasSubtype", NodeIds.Organizes, "Organizes");
    private static final Set<NodeId> STRUCTURE = Set.of(NodeIds.HasComponent, NodeIds.HasProperty);

    private WellWatchServer server;
    private OpcUaClient client;
    private int ns;
    private String xml;
    private NodeSet2File file;

    @BeforeAll
    void startServerAndClient(@TempDir Path pkiDir) throws Exception {
        server = new WellWatchServer(UaTestSupport.loopbackConfig(UaTestSupport.freePort()), pkiDir);
        server.addWell(WELL, 500);
        server.start();
        client = UaTestSupport.connect(server.endpointUrl());
        ns = client.readNamespaceTable().getIndex(WellWatchModel.NAMESPACE_URI).intValue();
        xml = Files.readString(NodeSetSchemaTest.NODESET, StandardCharsets.UTF_8);
        file = NodeSet2File.parse(xml, client.getNamespaceTable());
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

    @Test
    void fileDeclaresOurNamespaceAndRequiresTheUaModelOfMilo() {
        assertThat(file.namespaceUris).containsExactly(WellWatchModel.NAMESPACE_URI);
        assertThat(file.requiredUaVersion).startsWith("1.05");
        assertThat(file.nodes.keySet()).allSatisfy(id -> {
            assertThat(id.getNamespaceIndex().intValue()).as("namespace of %s", id).isEqualTo(ns);
            assertThat(id.getIdentifier()).asString().as("%s", id).startsWith("Types/");
        });
    }

    @Test
    void everyNodeOfTheFileIsOnTheServerWithTheSameAttributesAndReferences() throws Exception {
        assertThat(file.nodes).as("nodes in the file").hasSize(24);
        assertThat(differences(file)).isEmpty();
    }

    @Test
    void everyTypeNodeOfTheServerInOurNamespaceIsInTheFile() throws Exception {
        Set<NodeId> serverNodes = serverTypeNodesInOurNamespace();
        assertThat(serverNodes).as("type nodes the server has in our namespace").hasSize(24);
        List<String> missing = serverNodes.stream()
                .filter(id -> !file.nodes.containsKey(id))
                .map(id -> id.toParseableString() + ": on the server, not in the file")
                .toList();
        assertThat(missing).isEmpty();
        assertThat(serverNodes).allSatisfy(id ->
                assertThat(id.getIdentifier()).asString().as("%s", id).startsWith("Types/"));
    }

    @Test
    void theWellInstanceHasEveryMandatoryDeclarationOfTheFileWithItsDataTypeAndTypeDefinition() throws Exception {
        NodeId well = new NodeId(ns, WellWatchModel.wellId(WELL));
        NodeId type = new NodeId(ns, WellWatchModel.typeId(WellWatchModel.WELL_ANOMALY_TYPE));
        Map<QualifiedName, ReferenceDescription> children = browse(client, well, NodeIds.HierarchicalReferences,
                BrowseDirection.Forward).stream()
                .collect(Collectors.toMap(ReferenceDescription::getBrowseName, r -> r, (a, b) -> a));
        List<String> differences = new ArrayList<>();
        for (Ref declarationRef : file.nodes.get(type).forward(NodeIds.HasComponent)) {
            UaNodeEntry declaration = file.nodes.get(declarationRef.target());
            ReferenceDescription instance = children.get(declaration.browseName());
            if (instance == null) {
                differences.add(well.toParseableString() + ": no child " + declaration.browseName());
                continue;
            }
            NodeId instanceId = instance.getNodeId().toNodeId(client.getNamespaceTable()).orElseThrow();
            compare(differences, instanceId, "NodeClass", declaration.nodeClass(), instance.getNodeClass().name());
            compare(differences, instanceId, "TypeDefinition", targets(declaration, NodeIds.HasTypeDefinition),
                    instance.getTypeDefinition().isNull() ? Set.of()
                            : Set.of(instance.getTypeDefinition().toNodeId(client.getNamespaceTable()).orElseThrow()));
            if (declaration.nodeClass().equals("Variable")) {
                compare(differences, instanceId, "DataType",
                        file.nodeId(declaration.attribute("DataType", "i=24")),
                        UaTestSupport.readAttribute(client, instanceId, AttributeId.DataType));
            }
        }
        assertThat(differences).isEmpty();
    }

    // ---- the comparison is not vacuous --------------------------------------------------------

    @Test
    void aChangedDataTypeInTheFileIsReportedWithNodeAndAttribute() throws Exception {
        String changed = xml.replace(
                "NodeId=\"ns=1;s=Types/WellAnomalyType/Loss\" BrowseName=\"1:Loss\" ParentNodeId=\"ns=1;s=Types/WellAnomalyType\" DataType=\"Double\"",
                "NodeId=\"ns=1;s=Types/WellAnomalyType/Loss\" BrowseName=\"1:Loss\" ParentNodeId=\"ns=1;s=Types/WellAnomalyType\" DataType=\"i=10\"");
        assertThat(changed).isNotEqualTo(xml);
        assertThat(differences(NodeSet2File.parse(changed, client.getNamespaceTable())))
                .containsExactly("ns=" + ns + ";s=Types/WellAnomalyType/Loss: DataType: file i=10, server i=11");
    }

    @Test
    void aMissingDeclarationAndAWrongModellingRuleAreReported() throws Exception {
        String changed = xml
                .replace("      <Reference ReferenceType=\"HasComponent\">ns=1;s=Types/WellAnomalyType/Retrain</Reference>\n", "")
                .replace("<Reference ReferenceType=\"HasModellingRule\">i=78</Reference>\n"
                        + "      <Reference ReferenceType=\"HasProperty\" IsForward=\"false\">ns=1;s=Types/ModelRetrainedEventType</Reference>",
                        "<Reference ReferenceType=\"HasModellingRule\">i=80</Reference>\n"
                        + "      <Reference ReferenceType=\"HasProperty\" IsForward=\"false\">ns=1;s=Types/ModelRetrainedEventType</Reference>");
        List<String> differences = differences(NodeSet2File.parse(changed, client.getNamespaceTable()));
        assertThat(differences).anySatisfy(d -> assertThat(d)
                .startsWith("ns=" + ns + ";s=Types/WellAnomalyType: HasComponent/HasProperty references:")
                .contains("on the server only [HasComponent -> ns=" + ns + ";s=Types/WellAnomalyType/Retrain]"));
        assertThat(differences).anySatisfy(d -> assertThat(d)
                .contains("s=Types/ModelRetrainedEventType/")
                .contains("ModellingRule: file [i=80], server [i=78]"));
    }

    /** One edit of the file text, and the start of the difference line it must cause. */
    static Stream<Arguments> editsOfTheFile() {
        String type = "ns=1;s=Types/WellAnomalyType";
        return Stream.of(
                Arguments.of("AccessLevel=\"5\" UserAccessLevel=\"5\"", "AccessLevel=\"1\" UserAccessLevel=\"5\"",
                        "Types/WellAnomalyType/RiskLevel: AccessLevel: file 1, server 5"),
                Arguments.of("DataType=\"Double\" AccessLevel=\"5\" UserAccessLevel=\"5\" Historizing=\"true\"",
                        "DataType=\"Double\" AccessLevel=\"5\" UserAccessLevel=\"5\" Historizing=\"false\"",
                        "Types/WellAnomalyType/Loss: Historizing: file false, server true"),
                Arguments.of("<uax:Text>Medium</uax:Text>", "<uax:Text>Moderate</uax:Text>",
                        "Types/RiskLevelEnumeration/EnumStrings: Value: "),
                Arguments.of("ValueRank=\"1\"", "ValueRank=\"2\"",
                        "Types/RiskLevelEnumeration/EnumStrings: ValueRank: file 2, server 1"),
                Arguments.of("<Field Name=\"Invalid\" Value=\"2\" />", "<Field Name=\"Invalid\" Value=\"3\" />",
                        "Types/DataStateEnumeration: DataTypeDefinition: "),
                Arguments.of("<Reference ReferenceType=\"HasSubtype\" IsForward=\"false\">i=2041</Reference>",
                        "<Reference ReferenceType=\"HasSubtype\" IsForward=\"false\">i=2782</Reference>",
                        "Types/ModelRetrainedEventType: supertype (inverse HasSubtype): file [i=2782], server [i=2041]"),
                Arguments.of("<Reference ReferenceType=\"HasTypeDefinition\">i=10637</Reference>",
                        "<Reference ReferenceType=\"HasTypeDefinition\">i=2915</Reference>",
                        "Types/WellAnomalyType/AnomalyAlarm: TypeDefinition: file [i=2915], server [i=10637]"),
                Arguments.of("NodeId=\"" + type + "\" BrowseName=\"1:WellAnomalyType\"",
                        "NodeId=\"" + type + "\" BrowseName=\"1:WellAnomalyType\" IsAbstract=\"true\"",
                        "Types/WellAnomalyType: IsAbstract: file true, server false"),
                Arguments.of("BrowseName=\"1:TopContributor\"", "BrowseName=\"1:TopSensor\"",
                        "Types/WellAnomalyType/TopContributor: BrowseName: "),
                Arguments.of("BrowseName=\"1:AnomalyAlarm\"", "BrowseName=\"1:AnomalyAlarm\" EventNotifier=\"1\"",
                        "Types/WellAnomalyType/AnomalyAlarm: EventNotifier: file 1, server 0"),
                Arguments.of("BrowseName=\"1:Retrain\"", "BrowseName=\"1:Retrain\" Executable=\"false\"",
                        "Types/WellAnomalyType/Retrain: Executable: file false, server true"),
                Arguments.of("<Description Locale=\"en\">Capacity of the training window</Description>",
                        "<Description Locale=\"en\">Size of the training window</Description>",
                        "Types/WellAnomalyType/WindowSize: Description: "),
                Arguments.of("NodeId=\"" + type + "/WindowSize\"", "NodeId=\"" + type + "/WindowCapacity\"",
                        "Types/WellAnomalyType/WindowCapacity: in the file, not on the server"));
    }

    @ParameterizedTest
    @MethodSource("editsOfTheFile")
    void everyKindOfDifferenceIsReportedWithNodeAndAttribute(String from, String to, String expected) throws Exception {
        int at = xml.indexOf(from);
        assertThat(at).as("the file contains %s", from).isNotNegative();
        String changed = xml.substring(0, at) + to + xml.substring(at + from.length());
        assertThat(differences(NodeSet2File.parse(changed, client.getNamespaceTable())))
                .anySatisfy(line -> assertThat(line).startsWith("ns=" + ns + ";s=" + expected));
    }

    // ---- file -> server -------------------------------------------------------------------------

    /** Every difference between the file's nodes and the server's, one line each. */
    private List<String> differences(NodeSet2File nodeSet) throws Exception {
        List<String> differences = new ArrayList<>();
        for (UaNodeEntry node : nodeSet.nodes.values()) {
            compareNode(nodeSet, node, differences);
        }
        return differences;
    }

    private void compareNode(NodeSet2File nodeSet, UaNodeEntry node, List<String> differences) throws Exception {
        NodeId id = node.nodeId();
        DataValue nodeClass = UaTestSupport.read(client, id, AttributeId.NodeClass);
        if (!nodeClass.statusCode().isGood()) {
            differences.add(id.toParseableString() + ": in the file, not on the server (" + nodeClass.statusCode() + ")");
            return;
        }
        compare(differences, id, "NodeClass", node.nodeClass(),
                NodeClass.from((Integer) nodeClass.value().value()).name());
        compare(differences, id, "BrowseName", node.browseName(), read(id, AttributeId.BrowseName));
        compare(differences, id, "DisplayName", node.displayName(), read(id, AttributeId.DisplayName));
        compare(differences, id, "Description", text(node.description()), text((LocalizedText) read(id, AttributeId.Description)));

        switch (node.nodeClass()) {
            case "Variable" -> {
                compare(differences, id, "DataType", nodeSet.nodeId(node.attribute("DataType", "i=24")),
                        read(id, AttributeId.DataType));
                compare(differences, id, "ValueRank", Integer.parseInt(node.attribute("ValueRank", "-1")),
                        read(id, AttributeId.ValueRank));
                compare(differences, id, "ArrayDimensions", node.attribute("ArrayDimensions", ""),
                        arrayDimensions((UInteger[]) read(id, AttributeId.ArrayDimensions)));
                compare(differences, id, "AccessLevel", Integer.parseInt(node.attribute("AccessLevel", "1")),
                        number(read(id, AttributeId.AccessLevel)));
                compare(differences, id, "UserAccessLevel", Integer.parseInt(node.attribute("UserAccessLevel", "1")),
                        number(read(id, AttributeId.UserAccessLevel)));
                compare(differences, id, "Historizing", Boolean.parseBoolean(node.attribute("Historizing", "false")),
                        read(id, AttributeId.Historizing));
                if (node.value() != null) {
                    compare(differences, id, "Value", node.value(),
                            Arrays.asList((LocalizedText[]) read(id, AttributeId.Value)));
                }
            }
            case "Object" -> compare(differences, id, "EventNotifier",
                    Integer.parseInt(node.attribute("EventNotifier", "0")), number(read(id, AttributeId.EventNotifier)));
            case "Method" -> compare(differences, id, "Executable",
                    Boolean.parseBoolean(node.attribute("Executable", "true")), read(id, AttributeId.Executable));
            case "ObjectType", "DataType" -> {
                compare(differences, id, "IsAbstract", Boolean.parseBoolean(node.attribute("IsAbstract", "false")),
                        read(id, AttributeId.IsAbstract));
                compare(differences, id, "supertype (inverse HasSubtype)",
                        node.inverse(NodeIds.HasSubtype).stream().map(Ref::target).collect(Collectors.toSet()),
                        serverTargets(id, NodeIds.HasSubtype, BrowseDirection.Inverse, r -> true));
            }
            default -> differences.add(id.toParseableString() + ": NodeClass " + node.nodeClass() + " not compared by this test");
        }
        if (node.nodeClass().equals("DataType")) {
            compare(differences, id, "DataTypeDefinition", node.definition(), enumFields(id));
        }

        List<ReferenceDescription> forward = browse(client, id, NodeIds.References, BrowseDirection.Forward);
        compare(differences, id, "TypeDefinition", targets(node, NodeIds.HasTypeDefinition),
                serverTargets(forward, r -> r.getReferenceTypeId().equals(NodeIds.HasTypeDefinition)));
        compare(differences, id, "ModellingRule", targets(node, NodeIds.HasModellingRule),
                serverTargets(forward, r -> r.getReferenceTypeId().equals(NodeIds.HasModellingRule)));
        compareReferences(differences, id, "HasComponent/HasProperty references",
                node.references().stream().filter(r -> r.forward() && STRUCTURE.contains(r.referenceType())).toList(),
                forward.stream().filter(r -> STRUCTURE.contains(r.getReferenceTypeId())).toList());
        Set<NodeId> compared = Set.of(NodeIds.HasComponent, NodeIds.HasProperty, NodeIds.HasTypeDefinition,
                NodeIds.HasModellingRule);
        compareReferences(differences, id, "other forward references",
                node.references().stream().filter(r -> r.forward() && !compared.contains(r.referenceType())).toList(),
                forward.stream().filter(r -> !compared.contains(r.getReferenceTypeId())).toList());
        // The file's inverse structural reference names the parent the server has.
        for (Ref parent : node.references()) {
            if (!parent.forward() && STRUCTURE.contains(parent.referenceType())) {
                compare(differences, id, "parent (inverse " + name(parent.referenceType()) + ")", Set.of(parent.target()),
                        serverTargets(id, parent.referenceType(), BrowseDirection.Inverse, r -> true));
            }
        }
    }

    private List<?> enumFields(NodeId dataType) throws Exception {
        Object value = read(dataType, AttributeId.DataTypeDefinition);
        if (!(value instanceof ExtensionObject extensionObject)
                || !(extensionObject.decode(client.getStaticEncodingContext()) instanceof EnumDefinition definition)) {
            return List.of("not an EnumDefinition: " + value);
        }
        return Arrays.stream(definition.getFields())
                .map(f -> new NodeSet2File.Field(f.getName(), (int) f.getValue().longValue()))
                .toList();
    }

    // ---- server -> file -------------------------------------------------------------------------

    /**
     * The types in our namespace (found by walking every HasSubtype hierarchy from its root) and
     * every node hierarchically below them.
     */
    private Set<NodeId> serverTypeNodesInOurNamespace() throws Exception {
        Set<NodeId> found = new LinkedHashSet<>();
        Set<NodeId> seen = new LinkedHashSet<>(TYPE_ROOTS);
        List<NodeId> level = TYPE_ROOTS;
        while (!level.isEmpty()) {
            List<NodeId> next = new ArrayList<>();
            for (List<ReferenceDescription> references : browseAll(level, NodeIds.HasSubtype)) {
                for (ReferenceDescription reference : references) {
                    NodeId subtype = reference.getNodeId().toNodeId(client.getNamespaceTable()).orElseThrow();
                    if (seen.add(subtype)) {
                        next.add(subtype);
                        if (subtype.getNamespaceIndex().intValue() == ns) {
                            found.add(subtype);
                        }
                    }
                }
            }
            level = next;
        }
        assertThat(found).as("types found in our namespace").isNotEmpty();

        Deque<NodeId> below = new ArrayDeque<>(found);
        while (!below.isEmpty()) {
            NodeId node = below.pop();
            for (ReferenceDescription reference : browse(client, node, NodeIds.HierarchicalReferences,
                    BrowseDirection.Forward)) {
                NodeId target = reference.getNodeId().toNodeId(client.getNamespaceTable()).orElseThrow();
                if (!reference.getReferenceTypeId().equals(NodeIds.HasSubtype) && found.add(target)) {
                    below.push(target);
                }
            }
        }
        return found;
    }

    /** Forward browses of many nodes, in requests of a modest size. */
    private List<List<ReferenceDescription>> browseAll(List<NodeId> nodes, NodeId referenceType) throws Exception {
        List<List<ReferenceDescription>> results = new ArrayList<>();
        for (int from = 0; from < nodes.size(); from += 200) {
            List<BrowseDescription> descriptions = nodes.subList(from, Math.min(nodes.size(), from + 200)).stream()
                    .map(node -> new BrowseDescription(node, BrowseDirection.Forward, referenceType, false,
                            uint(0), uint(BrowseResultMask.All.getValue())))
                    .toList();
            for (BrowseResult result : client.browse(descriptions)) {
                assertThat(result.getStatusCode().isGood()).as("browse %s", result.getStatusCode()).isTrue();
                assertThat(result.getContinuationPoint() == null || result.getContinuationPoint().isNull())
                        .as("no continuation point").isTrue();
                ReferenceDescription[] references = result.getReferences();
                results.add(references == null ? List.of() : Arrays.asList(references));
            }
        }
        return results;
    }

    // ---- helpers --------------------------------------------------------------------------------

    private Object read(NodeId id, AttributeId attribute) throws Exception {
        DataValue value = UaTestSupport.read(client, id, attribute);
        return value.statusCode().isGood() ? value.value().value() : "unreadable (" + value.statusCode() + ")";
    }

    private static Set<NodeId> targets(UaNodeEntry node, NodeId referenceType) {
        return node.forward(referenceType).stream().map(Ref::target).collect(Collectors.toSet());
    }

    private Set<NodeId> serverTargets(NodeId id, NodeId referenceType, BrowseDirection direction,
                                      Predicate<ReferenceDescription> filter) throws Exception {
        return serverTargets(browse(client, id, referenceType, direction), filter);
    }

    private Set<NodeId> serverTargets(List<ReferenceDescription> references, Predicate<ReferenceDescription> filter) {
        return references.stream().filter(filter)
                .map(r -> r.getNodeId().toNodeId(client.getNamespaceTable()).orElseThrow())
                .collect(Collectors.toSet());
    }

    private void compareReferences(List<String> differences, NodeId id, String what, List<Ref> inFile,
                                   List<ReferenceDescription> onServer) {
        Set<String> fileSide = inFile.stream().map(r -> name(r.referenceType()) + " -> " + r.target().toParseableString())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> serverSide = onServer.stream()
                .map(r -> name(r.getReferenceTypeId()) + " -> "
                        + r.getNodeId().toNodeId(client.getNamespaceTable()).map(NodeId::toParseableString)
                        .orElse(r.getNodeId().toString()))
                .collect(Collectors.toCollection(TreeSet::new));
        if (!fileSide.equals(serverSide)) {
            Set<String> fileOnly = new TreeSet<>(fileSide);
            fileOnly.removeAll(serverSide);
            Set<String> serverOnly = new TreeSet<>(serverSide);
            serverOnly.removeAll(fileSide);
            differences.add(id.toParseableString() + ": " + what + ": in the file only " + fileOnly + ", on the server only " + serverOnly);
        }
    }

    private static String name(NodeId referenceType) {
        return REFERENCE_NAMES.getOrDefault(referenceType, referenceType.toParseableString());
    }

    private static void compare(List<String> differences, NodeId id, String attribute, Object inFile, Object onServer) {
        if (!Objects.equals(inFile, onServer)) {
            differences.add(id.toParseableString() + ": " + attribute + ": file " + display(inFile) + ", server " + display(onServer));
        }
    }

    private static String display(Object value) {
        if (value instanceof NodeId nodeId) {
            return nodeId.toParseableString();
        }
        if (value instanceof Set<?> set) {
            return set.stream().map(NodeSetVersusServerTest::display).sorted().toList().toString();
        }
        return String.valueOf(value);
    }

    private static String text(LocalizedText text) {
        return text == null || text.text() == null ? "" : text.text();
    }

    private static Integer number(Object value) {
        return value instanceof Number number ? number.intValue() : null;
    }

    private static String arrayDimensions(UInteger[] dimensions) {
        return dimensions == null ? "" : Arrays.stream(dimensions).map(UInteger::toString)
                .collect(Collectors.joining(","));
    }
}
