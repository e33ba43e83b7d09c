package io.wellwatch.server;

import static io.wellwatch.server.UaTestSupport.connect;
import static io.wellwatch.server.UaTestSupport.freePort;
import static io.wellwatch.server.UaTestSupport.loopbackConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.wellwatch.config.HistoryConfig;
import io.wellwatch.history.EventRecord;
import io.wellwatch.history.HistoryStore;
import io.wellwatch.history.ValueRecord;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.EventFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryData;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryEvent;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryEventFieldList;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadDetails;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadResult;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadEventDetails;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadProcessedDetails;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadRawModifiedDetails;
import org.eclipse.milo.opcua.stack.core.types.structured.SimpleAttributeOperand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HistoryRead through a real Milo client against a real server over 127.0.0.1, history in SQLite. */
class HistoryReadTest {

    private static final String WELL = "W1";
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final int N = 250;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private HistoryStore store;
    private WellWatchServer server;
    private OpcUaClient client;
    private NodeId loss;
    private NodeId wellNode;

    /** The recorded Loss: one value a second, every 17th held (Uncertain_LastUsableValue). */
    private static List<ValueRecord> lossValues() {
        List<ValueRecord> out = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            long status = i % 17 == 5 ? StatusCodes.Uncertain_LastUsableValue : StatusCodes.Good;
            out.add(new ValueRecord(WELL, "Loss", T0.plusSeconds(i), 0.5 + 0.4 * Math.sin(i * 0.37), status));
        }
        return out;
    }

    @BeforeEach
    void start() throws Exception {
        store = new HistoryStore(config(), Clock.systemUTC());
        lossValues().forEach(store::offer);
        for (int v = 1; v <= 5; v++) {
            store.offer(new EventRecord(WELL, T0.plusSeconds(40L * v), EventRecord.MODEL_RETRAINED, 100, "m", v,
                    "DHSV=1", 0.1 * v, 0.01 * v, 100 * v));
        }
        assertThat(store.flush(WAIT)).isTrue();
        startServer();
    }

    private HistoryConfig config() {
        return HistoryConfig.at("jdbc:sqlite:" + tmp.resolve("history.db"));
    }

    private void startServer() throws Exception {
        server = new WellWatchServer(loopbackConfig(freePort()), tmp.resolve("pki"));
        server.addWell(WELL, 10);
        server.setHistory(store);
        server.start();
        client = connect(server.endpointUrl());
        loss = server.namespace().wellVariableNodeId(WELL, WellVariable.LOSS);
        wellNode = server.namespace().wellNodeId(WELL);
    }

    @AfterEach
    void stop() {
        UaTestSupport.closeQuietly(client, server, store);
    }

    @Test
    void rawReadContinuesAcrossManyResponses() throws Exception {
        assertThat(UaTestSupport.readAttribute(client, loss, AttributeId.Historizing)).isEqualTo(true);
        var details = raw(T0, T0.plusSeconds(N), 7, false);
        List<DataValue> all = new ArrayList<>();
        ByteString cp = null;
        int responses = 0;
        do {
            HistoryReadResult r = read(details, loss, cp);
            assertThat(r.getStatusCode().isGood()).as("status %s", r.getStatusCode()).isTrue();
            DataValue[] page = data(r);
            assertThat(page.length).isLessThanOrEqualTo(7);
            all.addAll(List.of(page));
            cp = r.getContinuationPoint();
            responses++;
        } while (cp != null && cp.isNotNull());

        assertThat(responses).isEqualTo((N + 6) / 7);
        List<ValueRecord> expected = lossValues();
        assertThat(all).hasSize(N);
        for (int i = 0; i < N; i++) {
            assertThat(all.get(i).sourceTime().getJavaInstant()).isEqualTo(expected.get(i).sourceTime());
            assertThat((Double) all.get(i).value().value()).isEqualTo(expected.get(i).value());
            assertThat(all.get(i).statusCode().value()).isEqualTo(expected.get(i).status());
        }

        // A continuation point is bound to its request.
        HistoryReadResult first = read(details, loss, null);
        HistoryReadResult other = read(raw(T0, T0.plusSeconds(100), 7, false), loss, first.getContinuationPoint());
        assertThat(other.getStatusCode().value()).isEqualTo(StatusCodes.Bad_ContinuationPointInvalid);
    }

    @Test
    void rawReadReturnsBoundsReverseOrderAndMissingBounds() throws Exception {
        // [10.5 s, 20.5 s) with bounds: the value before the start, 11..20, the value after the end.
        List<DataValue> bounded = readAll(raw(T0.plusMillis(10_500), T0.plusMillis(20_500), 0, true), loss);
        assertThat(seconds(bounded)).containsExactly(10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L, 21L);
        // the same in pages of 4 (bounds count as values)
        assertThat(seconds(readAll(raw(T0.plusMillis(10_500), T0.plusMillis(20_500), 4, true), loss)))
                .isEqualTo(seconds(bounded));
        // start after end: newest first, start included, end excluded
        assertThat(seconds(readAll(raw(T0.plusSeconds(20), T0.plusSeconds(15), 0, false), loss)))
                .containsExactly(20L, 19L, 18L, 17L, 16L);
        // no value before the start: Bad_BoundNotFound at the start time
        List<DataValue> early = readAll(raw(T0.minusSeconds(5), T0.plusSeconds(2), 0, true), loss);
        assertThat(early.get(0).statusCode().value()).isEqualTo(StatusCodes.Bad_BoundNotFound);
        assertThat(early.get(0).sourceTime().getJavaInstant()).isEqualTo(T0.minusSeconds(5));
        assertThat(seconds(early.subList(1, early.size()))).containsExactly(0L, 1L, 2L);
        // only an end and a count: the newest values up to it, then a continuation point
        HistoryReadResult newest = read(new ReadRawModifiedDetails(false, DateTime.NULL_VALUE,
                new DateTime(T0.plusSeconds(100)), uint(3), false), loss, null);
        assertThat(seconds(List.of(data(newest)))).containsExactly(100L, 99L, 98L);
        assertThat(newest.getContinuationPoint().isNotNull()).isTrue();
        // ModelVersion is not Historizing in the contract
        NodeId modelVersion = server.namespace().wellVariableNodeId(WELL, WellVariable.MODEL_VERSION);
        assertThat(read(raw(T0, T0.plusSeconds(10), 0, false), modelVersion, null).getStatusCode().value())
                .isEqualTo(StatusCodes.Bad_HistoryOperationUnsupported);
    }

    @Test
    void processedAggregatesMatchAnIndependentComputation() throws Exception {
        long intervalMs = 60_000;
        Instant end = T0.plusSeconds(N);
        var details = new ReadProcessedDetails(new DateTime(T0), new DateTime(end), (double) intervalMs,
                new NodeId[] {NodeIds.AggregateFunction_Average, NodeIds.AggregateFunction_Minimum,
                    NodeIds.AggregateFunction_Maximum, NodeIds.AggregateFunction_Count},
                new org.eclipse.milo.opcua.stack.core.types.structured.AggregateConfiguration(true, false,
                        org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte(100),
                        org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte(100), true));
        List<HistoryReadValueId> ids = Collections.nCopies(4, new HistoryReadValueId(loss, null, QualifiedName.NULL_VALUE, null));
        HistoryReadResult[] results = client.historyRead(details, TimestampsToReturn.Both, false, ids).getResults();

        // expected, straight from the generated values: Good ones only, per [k*60 s, (k+1)*60 s)
        List<ValueRecord> values = lossValues();
        int intervals = (int) Math.ceil(N * 1000.0 / intervalMs);
        for (int agg = 0; agg < 4; agg++) {
            assertThat(results[agg].getStatusCode().isGood()).isTrue();
            DataValue[] out = data(results[agg]);
            assertThat(out).hasSize(intervals);
            for (int k = 0; k < intervals; k++) {
                Instant lo = T0.plusMillis(k * intervalMs);
                Instant hi = lo.plusMillis(intervalMs);
                List<ValueRecord> in = values.stream().filter(v -> v.status() == StatusCodes.Good
                        && !v.sourceTime().isBefore(lo) && v.sourceTime().isBefore(hi)).toList();
                DataValue dv = out[k];
                switch (agg) {
                    case 0 -> {
                        double mean = in.stream().mapToDouble(ValueRecord::value).sum() / in.size();
                        assertThat((Double) dv.value().value()).isCloseTo(mean, within(1e-12));
                        assertThat(dv.sourceTime().getJavaInstant()).isEqualTo(lo);
                    }
                    case 1 -> {
                        ValueRecord min = in.get(0);
                        for (ValueRecord v : in) {
                            if (v.value() < min.value()) {
                                min = v;
                            }
                        }
                        assertThat((Double) dv.value().value()).isEqualTo(min.value());
                        assertThat(dv.sourceTime().getJavaInstant()).isEqualTo(min.sourceTime());
                    }
                    case 2 -> {
                        double max = in.stream().mapToDouble(ValueRecord::value).max().orElseThrow();
                        assertThat((Double) dv.value().value()).isEqualTo(max);
                    }
                    default -> assertThat(dv.value().value()).isEqualTo(in.size());
                }
            }
        }
        // one aggregate per node: a mismatch is refused
        HistoryReadResult mismatch = client.historyRead(details, TimestampsToReturn.Both, false,
                List.of(new HistoryReadValueId(loss, null, QualifiedName.NULL_VALUE, null))).getResults()[0];
        assertThat(mismatch.getStatusCode().value()).isEqualTo(StatusCodes.Bad_AggregateListMismatch);
    }

    @Test
    void eventHistoryOfAWellPagesAndSurvivesARestart() throws Exception {
        List<HistoryEventFieldList> before = readEvents(2);
        assertThat(before).hasSize(5);
        assertThat(before).extracting(e -> e.getEventFields()[0].value())
                .containsOnly(server.namespace().typeNodeId(WellWatchModel.MODEL_RETRAINED_EVENT_TYPE));
        assertThat(before).extracting(e -> ((DateTime) e.getEventFields()[1].value()).getJavaInstant())
                .containsExactly(T0.plusSeconds(40), T0.plusSeconds(80), T0.plusSeconds(120), T0.plusSeconds(160), T0.plusSeconds(200));
        assertThat(before).extracting(e -> ((UInteger) e.getEventFields()[2].value()).intValue()).containsExactly(1, 2, 3, 4, 5);
        assertThat(before.get(0).getEventFields()[3].value().toString()).contains("model v1 trained");
        assertThat(before.get(0).getEventFields()[4].value()).isEqualTo(wellNode);

        List<DataValue> rawBefore = readAll(raw(T0, T0.plusSeconds(N), 0, false), loss);

        // Restart: new store on the same file, new server.
        stop();
        store = new HistoryStore(config(), Clock.systemUTC());
        startServer();

        List<HistoryEventFieldList> after = readEvents(3);
        assertThat(after).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(after.get(i).getEventFields()).isEqualTo(before.get(i).getEventFields());
        }
        List<DataValue> rawAfter = readAll(raw(T0, T0.plusSeconds(N), 0, false), loss);
        assertThat(rawAfter).hasSize(N);
        assertThat(rawAfter).extracting(DataValue::value).isEqualTo(rawBefore.stream().map(DataValue::value).toList());
    }

    @Test
    void alarmEventsAreRecordedAndReadBack() throws Exception {
        Instant t = T0.plusSeconds(1000);
        for (int i = 0; i < 10; i++) {          // raise (HIGH for the debounce count) ...
            t = t.plusSeconds(1);
            server.listener().onAssessment(new io.wellwatch.core.Assessment(WELL, t, io.wellwatch.core.DataState.ANALYZING,
                    io.wellwatch.core.RiskLevel.HIGH, 0.3, 0.1, 1, "DHSV=1", 10, 10, T0, "P-TPT"));
        }
        for (int i = 0; i < 10; i++) {          // ... and clear
            t = t.plusSeconds(1);
            server.listener().onAssessment(new io.wellwatch.core.Assessment(WELL, t, io.wellwatch.core.DataState.NORMAL,
                    io.wellwatch.core.RiskLevel.NORMAL, 0.05, 0.1, 1, "DHSV=1", 10, 10, T0, "P-TPT"));
        }
        assertThat(store.flush(WAIT)).isTrue();

        SimpleAttributeOperand[] select = {operand(NodeIds.BaseEventType, "EventType"),
            operand(NodeIds.BaseEventType, "Severity"), operand(NodeIds.BaseEventType, "Message"),
            operand(NodeIds.BaseEventType, "Time")};
        var details = new ReadEventDetails(uint(0), new DateTime(T0.plusSeconds(1000)), new DateTime(t.plusSeconds(1)),
                new EventFilter(select, new org.eclipse.milo.opcua.stack.core.types.structured.ContentFilter(null)));
        HistoryReadResult r = read(details, wellNode, null);
        HistoryEventFieldList[] events = ((HistoryEvent) r.getHistoryData().decode(client.getStaticEncodingContext())).getEvents();
        assertThat(events.length).as("raised and cleared").isGreaterThanOrEqualTo(2);
        assertThat(events).extracting(e -> e.getEventFields()[0].value()).containsOnly(NodeIds.OffNormalAlarmType);
        assertThat(events).extracting(e -> ((org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort)
                e.getEventFields()[1].value()).intValue()).contains(900);
    }

    @Test
    void serverAdvertisesItsHistoryCapabilities() throws Exception {
        assertThat(UaTestSupport.readAttribute(client, NodeIds.HistoryServerCapabilities_AccessHistoryDataCapability,
                AttributeId.Value)).isEqualTo(true);
        assertThat(UaTestSupport.readAttribute(client, NodeIds.HistoryServerCapabilities_AccessHistoryEventsCapability,
                AttributeId.Value)).isEqualTo(true);
        assertThat(UaTestSupport.browse(client, NodeIds.HistoryServerCapabilities_AggregateFunctions, NodeIds.Organizes,
                org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection.Forward))
                .extracting(r -> r.getNodeId().toNodeId(client.getNamespaceTable()).orElseThrow())
                .contains(NodeIds.AggregateFunction_Average, NodeIds.AggregateFunction_Count);
    }

    @Test
    void historizedVariablesHaveAHistoricalDataConfiguration() throws Exception {
        for (WellVariable v : WellVariable.values()) {
            NodeId node = server.namespace().wellVariableNodeId(WELL, v);
            var configs = UaTestSupport.browse(client, node, NodeIds.HasHistoricalConfiguration,
                    org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection.Forward);
            if (!v.historizing()) {
                assertThat(configs).as("%s", v).isEmpty();
                continue;
            }
            assertThat(configs).as("%s", v).hasSize(1);
            assertThat(configs.get(0).getBrowseName()).isEqualTo(new QualifiedName(0, "HA Configuration"));
            NodeId ha = configs.get(0).getNodeId().toNodeId(client.getNamespaceTable()).orElseThrow();
            assertThat(configs.get(0).getTypeDefinition().toNodeId(client.getNamespaceTable()).orElseThrow())
                    .isEqualTo(NodeIds.HistoricalDataConfigurationType);
            NodeId stepped = UaTestSupport.child(client, ha, NodeIds.HasProperty, new QualifiedName(0, "Stepped"));
            assertThat(UaTestSupport.readAttribute(client, stepped, AttributeId.Value)).isEqualTo(true);
            NodeId aggregates = UaTestSupport.child(client, ha, NodeIds.HasComponent, new QualifiedName(0, "AggregateConfiguration"));
            NodeId uncertain = UaTestSupport.child(client, aggregates, NodeIds.HasProperty, new QualifiedName(0, "TreatUncertainAsBad"));
            assertThat(UaTestSupport.readAttribute(client, uncertain, AttributeId.Value)).isEqualTo(true);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private List<HistoryEventFieldList> readEvents(int perPage) throws Exception {
        NodeId eventType = server.namespace().typeNodeId(WellWatchModel.MODEL_RETRAINED_EVENT_TYPE);
        SimpleAttributeOperand[] select = {
            operand(NodeIds.BaseEventType, "EventType"),
            operand(NodeIds.BaseEventType, "Time"),
            new SimpleAttributeOperand(eventType, new QualifiedName[] {
                new QualifiedName(eventType.getNamespaceIndex(), WellWatchModel.FIELD_MODEL_VERSION)},
                AttributeId.Value.uid(), null),
            operand(NodeIds.BaseEventType, "Message"),
            operand(NodeIds.BaseEventType, "SourceNode"),
        };
        var details = new ReadEventDetails(uint(perPage), new DateTime(T0), new DateTime(T0.plusSeconds(N)),
                new EventFilter(select, new org.eclipse.milo.opcua.stack.core.types.structured.ContentFilter(null)));
        List<HistoryEventFieldList> all = new ArrayList<>();
        ByteString cp = null;
        do {
            HistoryReadResult r = read(details, wellNode, cp);
            assertThat(r.getStatusCode().isGood()).as("status %s", r.getStatusCode()).isTrue();
            HistoryEventFieldList[] page = ((HistoryEvent) r.getHistoryData().decode(client.getStaticEncodingContext())).getEvents();
            assertThat(page.length).isLessThanOrEqualTo(perPage);
            all.addAll(List.of(page));
            cp = r.getContinuationPoint();
        } while (cp != null && cp.isNotNull());
        return all;
    }

    private static SimpleAttributeOperand operand(NodeId type, String name) {
        return new SimpleAttributeOperand(type, new QualifiedName[] {new QualifiedName(0, name)},
                AttributeId.Value.uid(), null);
    }

    private static ReadRawModifiedDetails raw(Instant start, Instant end, int perNode, boolean bounds) {
        return new ReadRawModifiedDetails(false, new DateTime(start), new DateTime(end), uint(perNode), bounds);
    }

    private HistoryReadResult read(HistoryReadDetails details, NodeId node, ByteString cp) throws Exception {
        return client.historyRead(details, TimestampsToReturn.Both, false,
                List.of(new HistoryReadValueId(node, null, QualifiedName.NULL_VALUE, cp))).getResults()[0];
    }

    private List<DataValue> readAll(HistoryReadDetails details, NodeId node) throws Exception {
        List<DataValue> all = new ArrayList<>();
        ByteString cp = null;
        do {
            HistoryReadResult r = read(details, node, cp);
            assertThat(r.getStatusCode().isGood()).as("status %s", r.getStatusCode()).isTrue();
            all.addAll(List.of(data(r)));
            cp = r.getContinuationPoint();
        } while (cp != null && cp.isNotNull());
        return all;
    }

    private DataValue[] data(HistoryReadResult r) {
        return ((HistoryData) r.getHistoryData().decode(client.getStaticEncodingContext())).getDataValues();
    }

    private static List<Long> seconds(List<DataValue> values) {
        return values.stream().map(v -> Duration.between(T0, v.sourceTime().getJavaInstant()).toSeconds()).toList();
    }

}
