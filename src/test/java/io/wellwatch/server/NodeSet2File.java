package io.wellwatch.server;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * A NodeSet2 file read into plain records, with every NodeId and BrowseName translated from the
 * file's namespace indices into a server's (through the file's NamespaceUris and the server's
 * namespace table). Reads what our file uses; attributes the file omits get the schema defaults.
 */
final class NodeSet2File {

    static final String UA_NAMESPACE = "http://opcfoundation.org/UA/";
    private static final String TYPES_NAMESPACE = "http://opcfoundation.org/UA/2008/02/Types.xsd";
    private static final Pattern QUALIFIED_NAME = Pattern.compile("^(\\d+):(.*)$");

    /** One forward or inverse reference as the file states it. */
    record Ref(NodeId referenceType, NodeId target, boolean forward) {
    }

    /** One field of a DataType's Definition. */
    record Field(String name, int value) {
    }

    /** One node of the file. {@code attributes} are the raw XML attributes of the node element. */
    record UaNodeEntry(String nodeClass, NodeId nodeId, QualifiedName browseName, LocalizedText displayName,
                       LocalizedText description, Map<String, String> attributes, List<Ref> references,
                       List<Field> definition, List<LocalizedText> value) {

        String attribute(String name, String schemaDefault) {
            return attributes.getOrDefault(name, schemaDefault);
        }

        List<Ref> forward(NodeId referenceType) {
            return references.stream().filter(r -> r.forward() && r.referenceType().equals(referenceType)).toList();
        }

        List<Ref> inverse(NodeId referenceType) {
            return references.stream().filter(r -> !r.forward() && r.referenceType().equals(referenceType)).toList();
        }
    }

    final List<String> namespaceUris;
    final String requiredUaVersion;
    final Map<NodeId, UaNodeEntry> nodes;

    private final Map<String, String> aliases;
    private final UnaryOperator<NodeId> toServer;

    private NodeSet2File(Document document, NamespaceTable serverNamespaces) {
        Element root = document.getDocumentElement();
        namespaceUris = texts(child(root, "NamespaceUris"), "Uri");
        Element requiredModel = descendant(root, "RequiredModel");
        requiredUaVersion = requiredModel == null ? null : requiredModel.getAttribute("Version");
        aliases = new HashMap<>();
        Element aliasTable = child(root, "Aliases");
        if (aliasTable != null) {
            for (Element alias : children(aliasTable, "Alias")) {
                aliases.put(alias.getAttribute("Alias"), alias.getTextContent().trim());
            }
        }
        toServer = nodeId -> {
            int fileIndex = nodeId.getNamespaceIndex().intValue();
            if (fileIndex == 0) {
                return nodeId;
            }
            String uri = namespaceUris.get(fileIndex - 1);
            var serverIndex = Objects.requireNonNull(serverNamespaces.getIndex(uri), "server lacks namespace " + uri);
            return nodeId.withNamespaceIndex(serverIndex);
        };
        nodes = new LinkedHashMap<>();
        for (Element element : children(root, null)) {
            if (element.getLocalName().startsWith("UA")) {
                UaNodeEntry entry = parseNode(element);
                if (nodes.put(entry.nodeId(), entry) != null) {
                    throw new IllegalArgumentException("duplicate NodeId " + entry.nodeId());
                }
            }
        }
    }

    /** Parses the file's XML text; NodeIds come out in the indices of {@code serverNamespaces}. */
    static NodeSet2File parse(String xml, NamespaceTable serverNamespaces) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document document = factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
            return new NodeSet2File(document, serverNamespaces);
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalArgumentException("cannot parse NodeSet2 file", e);
        }
    }

    /** A NodeId attribute or reference target: an alias or a NodeId in the file's indices. */
    NodeId nodeId(String text) {
        String resolved = aliases.getOrDefault(text.trim(), text.trim());
        NodeId parsed = NodeId.parse(resolved);
        return toServer.apply(parsed);
    }

    QualifiedName qualifiedName(String text) {
        Matcher matcher = QUALIFIED_NAME.matcher(text);
        if (!matcher.matches()) {
            return new QualifiedName(0, text);
        }
        int fileIndex = Integer.parseInt(matcher.group(1));
        if (fileIndex == 0) {
            return new QualifiedName(0, matcher.group(2));
        }
        return new QualifiedName(toServer.apply(new NodeId(fileIndex, 0)).getNamespaceIndex(), matcher.group(2));
    }

    private UaNodeEntry parseNode(Element element) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < element.getAttributes().getLength(); i++) {
            Node attribute = element.getAttributes().item(i);
            attributes.put(attribute.getNodeName(), attribute.getNodeValue());
        }
        List<Ref> references = new ArrayList<>();
        Element referenceList = child(element, "References");
        if (referenceList != null) {
            for (Element reference : children(referenceList, "Reference")) {
                references.add(new Ref(nodeId(reference.getAttribute("ReferenceType")),
                        nodeId(reference.getTextContent()),
                        !"false".equals(reference.getAttribute("IsForward"))));
            }
        }
        List<Field> definition = null;
        Element definitionElement = child(element, "Definition");
        if (definitionElement != null) {
            definition = children(definitionElement, "Field").stream()
                    .map(f -> new Field(f.getAttribute("Name"), Integer.parseInt(f.getAttribute("Value"))))
                    .toList();
        }
        List<LocalizedText> value = null;
        Element valueElement = child(element, "Value");
        if (valueElement != null) {
            Element list = child(valueElement, "ListOfLocalizedText");
            if (list == null || !TYPES_NAMESPACE.equals(list.getNamespaceURI())) {
                throw new IllegalArgumentException("unsupported Value of " + attributes.get("NodeId"));
            }
            value = children(list, "LocalizedText").stream()
                    .map(t -> new LocalizedText(text(child(t, "Locale")), text(child(t, "Text"))))
                    .toList();
        }
        return new UaNodeEntry(element.getLocalName().substring(2), nodeId(attributes.get("NodeId")),
                qualifiedName(attributes.get("BrowseName")), localizedText(child(element, "DisplayName")),
                localizedText(child(element, "Description")), attributes, references, definition, value);
    }

    private static LocalizedText localizedText(Element element) {
        if (element == null) {
            return null;
        }
        String locale = element.hasAttribute("Locale") ? element.getAttribute("Locale") : null;
        return new LocalizedText(locale, element.getTextContent());
    }

    private static String text(Element element) {
        return element == null ? null : element.getTextContent();
    }

    private static List<String> texts(Element parent, String name) {
        return parent == null ? List.of() : children(parent, name).stream().map(Element::getTextContent).toList();
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static Element descendant(Element parent, String name) {
        NodeList list = parent.getElementsByTagNameNS("*", name);
        return list.getLength() == 0 ? null : (Element) list.item(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> result = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && (name == null || name.equals(element.getLocalName()))) {
                result.add(element);
            }
        }
        return result;
    }
}
