package io.wellwatch.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;

import org.junit.jupiter.api.Test;
import org.xml.sax.SAXParseException;

/**
 * {@code nodesets/WellWatch.NodeSet2.xml} is valid against the OPC Foundation's UANodeSet schema
 * (the copy in {@code nodesets/schema}, so that CI needs nothing outside the repository).
 */
class NodeSetSchemaTest {

    static final Path NODESET = Path.of("nodesets", "WellWatch.NodeSet2.xml");
    private static final Path SCHEMA = Path.of("nodesets", "schema", "UANodeSet.xsd");

    @Test
    void nodeSetFileIsValidAgainstTheUaNodeSetSchema() throws Exception {
        Validator validator = validator();
        assertThatCode(() -> validator.validate(new StreamSource(NODESET.toFile()))).doesNotThrowAnyException();
    }

    @Test
    void theValidatorRejectsANodeWithoutBrowseName() throws Exception {
        String broken = Files.readString(NODESET, StandardCharsets.UTF_8)
                .replace("BrowseName=\"1:WellAnomalyType\"", "");
        assertThatThrownBy(() -> validator().validate(new StreamSource(new StringReader(broken))))
                .isInstanceOf(SAXParseException.class)
                .hasMessageContaining("BrowseName");
    }

    @Test
    void theSchemaCopyIsTheOneInSharedSpecWhereThatIsAvailable() throws Exception {
        // Locally (not in CI) the contract directory lies beside the repository: the copy must not drift.
        Path shared = Path.of("..", "shared", "spec", "UANodeSet.xsd");
        if (Files.isReadable(shared)) {
            assertThat(Files.readString(SCHEMA)).isEqualTo(Files.readString(shared));
        }
    }

    private static Validator validator() throws Exception {
        SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        Validator validator = factory.newSchema(SCHEMA.toFile()).newValidator();
        validator.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        validator.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return validator;
    }
}
