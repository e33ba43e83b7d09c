package io.wellwatch.server;

import static io.wellwatch.server.UaTestSupport.connect;
import static io.wellwatch.server.UaTestSupport.freePort;
import static io.wellwatch.server.UaTestSupport.loopbackConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import io.wellwatch.config.HistoryConfig;
import io.wellwatch.history.EventRecord;
import io.wellwatch.history.HistoryStore;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.enumerated.FilterOperator;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.AttributeOperand;
import org.eclipse.milo.opcua.stack.core.types.structured.ContentFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.ContentFilterElement;
import org.eclipse.milo.opcua.stack.core.types.structured.ElementOperand;
import org.eclipse.milo.opcua.stack.core.types.structured.EventFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.FilterOperand;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryEvent;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryEventFieldList;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadResult;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.LiteralOperand;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadEventDetails;
import org.eclipse.milo.opcua.stack.core.types.structured.RelativePath;
import org.eclipse.milo.opcua.stack.core.types.structured.SimpleAttributeOperand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ReadEventDetails with where clauses, through a real Milo client against a real server over
 * 127.0.0.1 on a real SQLite history: each result is checked against the recorded events filtered
 * in the test, and bad filters get their StatusCode while the server keeps answering.
 */
class HistoryEventFilterTest {

    private static final String WELL = "W1";
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final int[] ALARM_SEVERITIES = {500, 700, 900, 700, 500, 900, 900, 500, 700, 500, 900, 700};

    @TempDir
    Path tmp;

    private HistoryStore store;
    private WellWatchServer server;
    private OpcUaClient client;
    private NodeId wellNode;
    private NodeId retrainedType;
    /** The recorded events in time order. */
    private final List<EventRecord> recorded = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        store = new HistoryStore(HistoryConfig.at("jdbc:sqlite:" + tmp.resolve("history.db")), Clock.systemUTC());
        // Alternating: an alarm event every 10 s, a model retraining every 30 s.
        int version = 0;
        for (int i = 0; i < ALARM_SEVERITIES.length; i++) {
            Instant t = T0.plusSeconds(10L * i);
            recorded.add(new EventRecord(WELL, t, EventRecord.ANOMALY_ALARM, ALARM_SEVERITIES[i],
                    "W1: anomaly risk " + ALARM_SEVERITIES[i], null, null, null, null, null));
            if (i % 3 == 2) {
                version++;
                recorded.add(new EventRecord(WELL, t.plusSeconds(5), EventRecord.MODEL_RETRAINED, 100, "m", version,
                        "DHSV=1", 0.02 * version, 0.01, 500));
            }
        }
        recorded.forEach(store::offer);
        assertThat(store.flush(Duration.ofSeconds(20))).isTrue();

        server = new WellWatchServer(loopbackConfig(freePort()), tmp.resolve("pki"));
        server.addWell(WELL, 10);
        server.setHistory(store);
        server.start();
        client = connect(server.endpointUrl());
        wellNode = server.namespace().wellNodeId(WELL);
        retrainedType = server.namespace().typeNodeId(WellWatchModel.MODEL_RETRAINED_EVENT_TYPE);
    }

    @AfterEach
    void stop() {
        UaTestSupport.closeQuietly(client, server, store);
    }

    @Test
    void onlyAnomalyAlarmEventsWithSeverityAtLeast700() throws Exception {
        ContentFilter where = where(
                element(FilterOperator.And, new ElementOperand(uint(1)), new ElementOperand(uint(2))),
                element(FilterOperator.OfType, literal(Variant.ofNodeId(NodeIds.OffNormalAlarmType))),
                element(FilterOperator.GreaterThanOrEqual, field(NodeIds.BaseEventType, "Severity"),
                        literal(Variant.ofUInt16(ushort(700)))));
        List<HistoryEventFieldList> events = readAll(where, 0);

        List<EventRecord> expected = expected(e -> e.eventType().equals(EventRecord.ANOMALY_ALARM) && e.severity() >= 700);
        assertThat(expected).hasSize(8);
        assertThat(events).hasSize(expected.size());
        for (int i = 0; i < events.size(); i++) {
            Variant[] f = events.get(i).getEventFields();
            assertThat(f[0].value()).isEqualTo(NodeIds.OffNormalAlarmType);
            assertThat(((UShort) f[1].value()).intValue()).isEqualTo(expected.get(i).severity());
            assertThat(((DateTime) f[2].value()).getJavaInstant()).isEqualTo(expected.get(i).time());
            assertThat(f[4].value()).as("ConditionId").isEqualTo(server.namespace().anomalyAlarmNodeId(WELL));
        }
    }

    @Test
    void typesFieldsAndLogicFollowPart4() throws Exception {
        // OfType with a supertype: AlarmConditionType covers the OffNormalAlarmType events (Milo's type tree).
        assertThat(times(readAll(where(element(FilterOperator.OfType,
                literal(Variant.ofNodeId(NodeIds.AlarmConditionType)))), 0)))
                .isEqualTo(times(expected(e -> e.eventType().equals(EventRecord.ANOMALY_ALARM))));
        // OfType(BaseEventType): everything; Not(OfType(alarm)): the retrainings.
        assertThat(readAll(where(element(FilterOperator.OfType, literal(Variant.ofNodeId(NodeIds.BaseEventType)))), 0))
                .hasSize(recorded.size());
        assertThat(times(readAll(where(
                element(FilterOperator.Not, new ElementOperand(uint(1))),
                element(FilterOperator.OfType, literal(Variant.ofNodeId(NodeIds.OffNormalAlarmType)))), 0)))
                .isEqualTo(times(expected(e -> e.eventType().equals(EventRecord.MODEL_RETRAINED))));
        // Or over a BaseEventType field and a ModelRetrainedEventType field: Severity 900, or model v2.
        assertThat(times(readAll(where(
                element(FilterOperator.Or, new ElementOperand(uint(1)), new ElementOperand(uint(2))),
                element(FilterOperator.Equals, field(NodeIds.BaseEventType, "Severity"), literal(Variant.ofInt32(900))),
                element(FilterOperator.Equals, modelVersion(), literal(Variant.ofUInt32(uint(2))))), 0)))
                .isEqualTo(times(expected(e -> e.severity() == 900 || Integer.valueOf(2).equals(e.modelVersion()))));
        // A field of another type is null for an event: IsNull(ModelVersion) holds for the alarms only, and
        // a comparison with null is not true (Not of it neither).
        assertThat(times(readAll(where(element(FilterOperator.IsNull, modelVersion())), 0)))
                .isEqualTo(times(expected(e -> e.eventType().equals(EventRecord.ANOMALY_ALARM))));
        assertThat(times(readAll(where(
                element(FilterOperator.Not, new ElementOperand(uint(1))),
                element(FilterOperator.LessThan, modelVersion(), literal(Variant.ofInt32(2)))), 0)))
                .isEqualTo(times(expected(e -> e.modelVersion() != null && e.modelVersion() >= 2)));
        // EventType equality, Between and InList.
        assertThat(readAll(where(element(FilterOperator.Equals, field(NodeIds.BaseEventType, "EventType"),
                literal(Variant.ofNodeId(retrainedType)))), 0)).hasSize(4);
        assertThat(times(readAll(where(element(FilterOperator.Between, field(NodeIds.BaseEventType, "Severity"),
                literal(Variant.ofDouble(600)), literal(Variant.ofDouble(800)))), 0)))
                .isEqualTo(times(expected(e -> e.severity() == 700)));
        assertThat(times(readAll(where(element(FilterOperator.InList, field(NodeIds.BaseEventType, "Severity"),
                literal(Variant.ofInt32(100)), literal(Variant.ofInt32(500)))), 0)))
                .isEqualTo(times(expected(e -> e.severity() == 100 || e.severity() == 500)));
    }

    @Test
    void filteredReadsPageWithContinuationPoints() throws Exception {
        ContentFilter where = where(element(FilterOperator.GreaterThan, field(NodeIds.BaseEventType, "Severity"),
                literal(Variant.ofInt32(600))));
        List<HistoryEventFieldList> all = readAll(where, 3);
        assertThat(times(all)).isEqualTo(times(expected(e -> e.severity() > 600)));

        // A continuation point belongs to its where clause.
        HistoryReadResult first = read(details(where, 3), null);
        assertThat(first.getContinuationPoint().isNotNull()).isTrue();
        ContentFilter other = where(element(FilterOperator.GreaterThan, field(NodeIds.BaseEventType, "Severity"),
                literal(Variant.ofInt32(800))));
        assertThat(read(details(other, 3), first.getContinuationPoint()).getStatusCode().value())
                .isEqualTo(StatusCodes.Bad_ContinuationPointInvalid);
    }

    @Test
    void badFiltersGetTheirStatusCodeAndTheServerKeepsAnswering() throws Exception {
        SimpleAttributeOperand severity = field(NodeIds.BaseEventType, "Severity");
        assertThat(status(where(element(FilterOperator.Like, severity, literal(Variant.ofString("9%"))))))
                .isEqualTo(StatusCodes.Bad_FilterOperatorUnsupported);
        assertThat(status(where(element(FilterOperator.Equals, severity))))
                .isEqualTo(StatusCodes.Bad_FilterOperandCountMismatch);
        assertThat(status(where(element(FilterOperator.Not, new ElementOperand(uint(0))))))
                .as("an element pointing to itself").isEqualTo(StatusCodes.Bad_FilterOperandInvalid);
        assertThat(status(where(element(FilterOperator.Not, new ElementOperand(uint(7))))))
                .as("an element that is not there").isEqualTo(StatusCodes.Bad_FilterOperandInvalid);
        assertThat(status(where(element(FilterOperator.IsNull, new AttributeOperand(NodeIds.BaseEventType, "a",
                new RelativePath(null), AttributeId.Value.uid(), null)))))
                .as("AttributeOperand").isEqualTo(StatusCodes.Bad_FilterOperandInvalid);
        assertThat(status(where(element(FilterOperator.OfType, literal(Variant.ofString("OffNormalAlarmType"))))))
                .isEqualTo(StatusCodes.Bad_FilterOperandInvalid);
        var noSelect = new ReadEventDetails(uint(0), new DateTime(T0), new DateTime(T0.plusSeconds(3600)),
                new EventFilter(new SimpleAttributeOperand[0], new ContentFilter(null)));
        assertThat(read(noSelect, null).getStatusCode().value()).isEqualTo(StatusCodes.Bad_EventFilterInvalid);

        // Still answering, with every event for an empty where clause.
        assertThat(readAll(new ContentFilter(null), 0)).hasSize(recorded.size());
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private List<EventRecord> expected(Predicate<EventRecord> p) {
        return recorded.stream().filter(p).toList();
    }

    private static List<Instant> times(List<?> events) {
        return events.stream().map(e -> e instanceof EventRecord r ? r.time()
                : ((DateTime) ((HistoryEventFieldList) e).getEventFields()[2].value()).getJavaInstant()).toList();
    }

    private SimpleAttributeOperand modelVersion() {
        return new SimpleAttributeOperand(retrainedType, new QualifiedName[] {
            new QualifiedName(retrainedType.getNamespaceIndex(), WellWatchModel.FIELD_MODEL_VERSION)},
            AttributeId.Value.uid(), null);
    }

    private static SimpleAttributeOperand field(NodeId type, String name) {
        return new SimpleAttributeOperand(type, new QualifiedName[] {new QualifiedName(0, name)},
                AttributeId.Value.uid(), null);
    }

    private static LiteralOperand literal(Variant v) {
        return new LiteralOperand(v);
    }

    private ContentFilterElement element(FilterOperator operator, FilterOperand... operands) {
        ExtensionObject[] encoded = new ExtensionObject[operands.length];
        for (int i = 0; i < operands.length; i++) {
            encoded[i] = ExtensionObject.encode(client.getStaticEncodingContext(), operands[i]);
        }
        return new ContentFilterElement(operator, encoded);
    }

    private static ContentFilter where(ContentFilterElement... elements) {
        return new ContentFilter(elements);
    }

    /** Select: EventType, Severity, Time, Message, ConditionId. */
    private static ReadEventDetails details(ContentFilter where, int perPage) {
        SimpleAttributeOperand[] select = {
            field(NodeIds.BaseEventType, "EventType"), field(NodeIds.BaseEventType, "Severity"),
            field(NodeIds.BaseEventType, "Time"), field(NodeIds.BaseEventType, "Message"),
            new SimpleAttributeOperand(NodeIds.ConditionType, new QualifiedName[0], AttributeId.NodeId.uid(), null),
        };
        return new ReadEventDetails(uint(perPage), new DateTime(T0), new DateTime(T0.plusSeconds(3600)),
                new EventFilter(select, where));
    }

    private HistoryReadResult read(ReadEventDetails details, ByteString cp) throws Exception {
        return client.historyRead(details, TimestampsToReturn.Both, false,
                List.of(new HistoryReadValueId(wellNode, null, QualifiedName.NULL_VALUE, cp))).getResults()[0];
    }

    private long status(ContentFilter where) throws Exception {
        HistoryReadResult r = read(details(where, 0), null);
        return r.getStatusCode().value();
    }

    private List<HistoryEventFieldList> readAll(ContentFilter where, int perPage) throws Exception {
        ReadEventDetails details = details(where, perPage);
        List<HistoryEventFieldList> all = new ArrayList<>();
        ByteString cp = null;
        int responses = 0;
        do {
            HistoryReadResult r = read(details, cp);
            assertThat(r.getStatusCode().isGood()).as("status %s", r.getStatusCode()).isTrue();
            HistoryEventFieldList[] page = ((HistoryEvent) r.getHistoryData()
                    .decode(client.getStaticEncodingContext())).getEvents();
            if (perPage > 0) {
                assertThat(page.length).isLessThanOrEqualTo(perPage);
            }
            all.addAll(List.of(page));
            cp = r.getContinuationPoint();
            assertThat(++responses).as("responses").isLessThan(100);
        } while (cp != null && cp.isNotNull());
        return all;
    }
}
