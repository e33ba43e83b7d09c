package io.wellwatch.server;

import static io.wellwatch.server.UaTestSupport.connect;
import static io.wellwatch.server.UaTestSupport.freePort;
import static io.wellwatch.server.UaTestSupport.loopbackConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.wellwatch.config.HistoryConfig;
import io.wellwatch.core.Assessment;
import io.wellwatch.core.DataState;
import io.wellwatch.core.RiskLevel;
import io.wellwatch.history.HistoryRecorder;
import io.wellwatch.history.HistoryStore;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.structured.WriteValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code WellWatch/History} through a real Milo client against a real server over 127.0.0.1, with the
 * history in a real SQLite file that another connection locks: the variables report the failure while
 * the well's variables keep being published, and report the recovery when the lock goes.
 */
class HistoryHealthTest {

    private static final String WELL = "W1";
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private HistoryStore store;
    private WellWatchServer server;
    private OpcUaClient client;
    private HistoryRecorder recorder;
    private Map<String, NodeId> health;
    private int sample;

    @BeforeEach
    void start() throws Exception {
        store = new HistoryStore(HistoryConfig.of(true, "jdbc:sqlite:" + tmp.resolve("history.db"), null, null, 30,
                1000, 10, 100L), Clock.systemUTC());
        recorder = new HistoryRecorder(store, Clock.systemUTC());
        server = new WellWatchServer(loopbackConfig(freePort()), tmp.resolve("pki"));
        server.addWell(WELL, 10);
        server.setHistory(store);
        server.start();
        client = connect(server.endpointUrl());
        // Found by browsing, as a client would: WellWatch -> History -> its variables.
        NodeId wellWatch = UaTestSupport.child(client, NodeIds.ObjectsFolder, NodeIds.Organizes,
                qualified(WellWatchModel.WELL_WATCH));
        NodeId history = UaTestSupport.child(client, wellWatch, NodeIds.HasComponent,
                qualified(HistoryHealthNodes.HISTORY));
        health = UaTestSupport.browse(client, history, NodeIds.HasComponent, BrowseDirection.Forward).stream()
                .collect(Collectors.toMap(r -> r.getBrowseName().name(),
                        r -> r.getNodeId().toNodeId(client.getNamespaceTable()).orElseThrow()));
    }

    @AfterEach
    void stop() {
        UaTestSupport.closeQuietly(client, server, store);
    }

    @Test
    void theVariablesReportALockedDatabaseWhileDetectionGoesOn() throws Exception {
        assertThat(health.keySet()).containsExactlyInAnyOrderElementsOf(
                HistoryHealthNodes.VARIABLES.stream().map(HistoryHealthNodes.Variable::name).toList());
        for (HistoryHealthNodes.Variable v : HistoryHealthNodes.VARIABLES) {
            assertThat(UaTestSupport.readAttribute(client, health.get(v.name()), AttributeId.DataType))
                    .as(v.name()).isEqualTo(v.dataType());
            assertThat(((UByte) UaTestSupport.readAttribute(client, health.get(v.name()), AttributeId.AccessLevel))
                    .intValue()).as(v.name()).isEqualTo(1); // CurrentRead only
        }
        StatusCode write = client.write(List.of(new WriteValue(health.get("Healthy"), AttributeId.Value.uid(), null,
                new DataValue(Variant.ofBoolean(true))))).getResults()[0];
        assertThat(write.isBad()).as("write refused: %s", write).isTrue();

        detect(20);
        assertThat(store.flush(WAIT)).isTrue();
        assertThat(value("Recording")).isEqualTo(true);
        assertThat(value("Healthy")).isEqualTo(true);
        assertThat(value("Database")).isEqualTo("jdbc:sqlite:" + tmp.resolve("history.db"));
        assertThat(((ULong) value("RowsWritten")).longValue()).isGreaterThanOrEqualTo(20);
        assertThat(((ULong) value("RowsDropped")).longValue()).isZero();
        assertThat(((ULong) value("WriteFailures")).longValue()).isZero();
        assertThat(value("LastWriteError")).isEqualTo("");
        DateTime firstWrite = (DateTime) value("LastSuccessfulWrite");
        assertThat(firstWrite.getJavaInstant()).isAfter(Instant.now().minusSeconds(60));

        try (Subscribed healthy = new Subscribed(health.get("Healthy"));
             Connection other = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("history.db"))) {
            assertThat(healthy.next()).isEqualTo(true);
            try (Statement s = other.createStatement()) {
                s.execute("BEGIN EXCLUSIVE");
                s.execute("INSERT INTO wh_event (well_id, t, event_type, severity) VALUES ('X', 0, 'lock', 0)");
            }
            double loss = detect(20);
            assertThat(store.flush(WAIT)).isTrue(); // the batches failed after the busy timeout

            assertThat(healthy.next()).as("a subscriber learns it").isEqualTo(false);
            assertThat(value("Healthy")).isEqualTo(false);
            assertThat(value("Recording")).isEqualTo(true);
            assertThat(((ULong) value("WriteFailures")).longValue()).isGreaterThanOrEqualTo(1);
            assertThat(((ULong) value("RowsDropped")).longValue()).isGreaterThanOrEqualTo(1);
            assertThat((String) value("LastWriteError")).contains("dropped").containsIgnoringCase("locked");
            // Detection went on: the well published the latest Loss.
            NodeId lossNode = server.namespace().wellVariableNodeId(WELL, WellVariable.LOSS);
            assertThat(UaTestSupport.readAttribute(client, lossNode, AttributeId.Value)).isEqualTo(loss);

            try (Statement s = other.createStatement()) {
                s.execute("ROLLBACK");
            }
            detect(5);
            assertThat(store.flush(WAIT)).isTrue();
            assertThat(healthy.next()).as("and that it recovered").isEqualTo(true);
        }
        assertThat(value("Healthy")).isEqualTo(true);
        assertThat(((DateTime) value("LastSuccessfulWrite")).getUtcTime()).isGreaterThan(firstWrite.getUtcTime());
        assertThat((String) value("LastWriteError")).as("the last problem stays visible").containsIgnoringCase("locked");
        assertThat(((UInteger) value("QueueDepth")).intValue()).isZero();
    }

    @Test
    void withoutAStoreTheVariablesSaySoAndHideCredentials() throws Exception {
        server.setHistoryUnavailable("jdbc:postgresql://db.plant/wellwatch?user=ww&password=secret",
                "the history database could not be opened (see the log)");
        assertThat(value("Recording")).isEqualTo(false);
        assertThat(value("Healthy")).isEqualTo(false);
        assertThat(value("Database")).isEqualTo("jdbc:postgresql://db.plant/wellwatch");
        assertThat((String) value("LastWriteError")).contains("could not be opened");
        assertThat(((DateTime) value("LastSuccessfulWrite")).getUtcTime()).isEqualTo(DateTime.MIN_VALUE.getUtcTime());
        // HistoryRead says there is no history now.
        var details = new org.eclipse.milo.opcua.stack.core.types.structured.ReadRawModifiedDetails(false,
                new DateTime(T0), new DateTime(T0.plusSeconds(10)), org.eclipse.milo.opcua.stack.core.types.builtin
                .unsigned.Unsigned.uint(0), false);
        var result = client.historyRead(details, org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn.Both,
                false, List.of(new org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadValueId(
                        server.namespace().wellVariableNodeId(WELL, WellVariable.LOSS), null, QualifiedName.NULL_VALUE,
                        null))).getResults()[0];
        assertThat(result.getStatusCode().value()).isEqualTo(StatusCodes.Bad_HistoryOperationUnsupported);
    }

    /** What the app's fan-out does per sample: the server publishes it, the recorder records it. Returns the last Loss. */
    private double detect(int samples) {
        double loss = 0;
        for (int i = 0; i < samples; i++) {
            sample++;
            loss = 0.001 * sample;
            Assessment a = new Assessment(WELL, T0.plusSeconds(sample), DataState.NORMAL, RiskLevel.NORMAL, loss, 0.5, 1,
                    "DHSV=1", 10, 10, T0, "P-TPT");
            server.listener().onAssessment(a);
            recorder.onAssessment(a);
        }
        return loss;
    }

    private Object value(String name) throws Exception {
        return UaTestSupport.readAttribute(client, health.get(name), AttributeId.Value);
    }

    private QualifiedName qualified(String name) {
        return new QualifiedName(server.namespace().getNamespaceIndex(), name);
    }

    /** A data item on one variable; yields each new value. */
    private final class Subscribed implements AutoCloseable {
        private final BlockingQueue<Object> values = new LinkedBlockingQueue<>();
        private final OpcUaSubscription subscription;

        Subscribed(NodeId node) throws Exception {
            subscription = new OpcUaSubscription(client, 50.0);
            subscription.create();
            OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(node);
            item.setSamplingInterval(50.0);
            item.setDataValueListener((i, v) -> values.add(v.value().value()));
            subscription.addMonitoredItem(item);
            subscription.synchronizeMonitoredItems();
            assertThat(item.getCreateResult().orElseThrow().isGood()).isTrue();
        }

        Object next() throws InterruptedException {
            Object v = values.poll(10, TimeUnit.SECONDS);
            assertThat(v).as("a new value").isNotNull();
            return v;
        }

        @Override
        public void close() throws Exception {
            subscription.delete();
        }
    }
}
