package io.wellwatch.server;

import static io.wellwatch.server.UaTestSupport.browse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.wellwatch.config.HistoryConfig;
import io.wellwatch.core.Assessment;
import io.wellwatch.core.DataState;
import io.wellwatch.core.RiskLevel;
import io.wellwatch.fault.LogCapture;
import io.wellwatch.history.EventRecord;
import io.wellwatch.history.HistoryStore;
import io.wellwatch.server.alarm.AlarmStateFile;
import io.wellwatch.server.alarm.AnomalyCondition;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.ContentFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.EventFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.SimpleAttributeOperand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AnomalyAlarm condition as a real Milo client sees it through an event subscription on the
 * Server object: debounce, severities, acknowledge, comment, enable/disable, refresh, quality,
 * and a ConditionId that survives a restart. Each test uses its own well.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnomalyAlarmTest {

    private static final String VALVES = "DHSV=1";
    private static final long QUIET_MS = 400;

    // Select clause indexes.
    private static final int EVENT_ID = 0;
    private static final int EVENT_TYPE = 1;
    private static final int SOURCE_NODE = 2;
    private static final int MESSAGE = 3;
    private static final int SEVERITY = 4;
    private static final int CONDITION_ID = 5;
    private static final int ACTIVE = 6;
    private static final int ACKED = 7;
    private static final int RETAIN = 8;
    private static final int ENABLED = 9;
    private static final int QUALITY = 10;
    private static final int COMMENT = 11;
    private static final int CONDITION_NAME = 12;
    private static final int SOURCE_NAME = 13;

    private Path pkiDir;
    private WellWatchServer server;
    private OpcUaClient client;
    private int ns;
    private Instant clock = Instant.parse("2017-02-01T02:00:00Z");

    @BeforeAll
    void start(@TempDir Path pki) throws Exception {
        pkiDir = pki;
        server = new WellWatchServer(UaTestSupport.loopbackConfig(UaTestSupport.freePort()), pkiDir);
        server.addWell("WELL-TYPE", 500);
        server.start();
        client = UaTestSupport.connect(server.endpointUrl());
        ns = client.readNamespaceTable().getIndex(WellWatchModel.NAMESPACE_URI).intValue();
    }

    @AfterAll
    void stop() throws Exception {
        if (client != null) {
            client.disconnect();
        }
        if (server != null) {
            server.stop();
        }
    }

    // ---- Structure ------------------------------------------------------------------------------

    @Test
    void typeDeclaresAnomalyAlarmAndRetrainAndWellHasCondition() throws Exception {
        NodeId type = new NodeId(ns, "Types/WellAnomalyType");
        List<ReferenceDescription> components = browse(client, type, NodeIds.HasComponent, BrowseDirection.Forward);
        for (String name : List.of("AnomalyAlarm", "Retrain")) {
            ReferenceDescription declaration = components.stream()
                    .filter(r -> r.getBrowseName().equals(new QualifiedName(ns, name))).findFirst().orElseThrow();
            NodeId id = declaration.getNodeId().toNodeId(client.getNamespaceTable()).orElseThrow();
            assertThat(browse(client, id, NodeIds.HasModellingRule, BrowseDirection.Forward))
                    .extracting(r -> r.getNodeId().toNodeId(client.getNamespaceTable()).orElseThrow())
                    .containsExactly(NodeIds.ModellingRule_Mandatory);
            if (name.equals("AnomalyAlarm")) {
                assertThat(declaration.getTypeDefinition().toNodeId(client.getNamespaceTable()).orElseThrow())
                        .isEqualTo(NodeIds.OffNormalAlarmType);
            }
        }

        NodeId well = server.namespace().wellNodeId("WELL-TYPE");
        NodeId alarm = new NodeId(ns, "WellWatch/Wells/WELL-TYPE/AnomalyAlarm");
        assertThat(browse(client, well, NodeIds.HasCondition, BrowseDirection.Forward))
                .extracting(r -> r.getNodeId().toNodeId(client.getNamespaceTable()).orElseThrow())
                .containsExactly(alarm);
        List<ReferenceDescription> wellComponents = browse(client, well, NodeIds.HasComponent, BrowseDirection.Forward);
        assertThat(wellComponents).extracting(ReferenceDescription::getBrowseName)
                .contains(new QualifiedName(ns, "AnomalyAlarm"), new QualifiedName(ns, "Retrain"));
        assertThat(wellComponents.stream().filter(r -> r.getBrowseName().name().equals("AnomalyAlarm"))
                .findFirst().orElseThrow().getTypeDefinition().toNodeId(client.getNamespaceTable()).orElseThrow())
                .isEqualTo(NodeIds.OffNormalAlarmType);
        assertThat(UaTestSupport.readAttribute(client, alarm, AttributeId.BrowseName))
                .isEqualTo(new QualifiedName(ns, "AnomalyAlarm"));
    }

    // ---- Lifecycle of an alarm -------------------------------------------------------------------

    @Test
    void debouncedLowHighNormalThenAcknowledge() throws Exception {
        String well = addWell("WELL-LIFE");
        try (Events events = new Events(well)) {
            // One noisy High sample does not raise the alarm.
            assess(well, RiskLevel.HIGH);
            assess(well, RiskLevel.NORMAL);
            events.expectNone();

            assess(well, RiskLevel.LOW, 3);
            Variant[] low = events.next();
            assertThat(low[EVENT_TYPE].value()).isEqualTo(NodeIds.OffNormalAlarmType);
            assertThat(low[SOURCE_NODE].value()).isEqualTo(server.namespace().wellNodeId(well));
            assertThat(low[SOURCE_NAME].value()).isEqualTo(well);
            assertThat(low[CONDITION_ID].value()).isEqualTo(new NodeId(ns, "WellWatch/Wells/" + well + "/AnomalyAlarm"));
            assertThat(low[CONDITION_NAME].value()).isEqualTo("AnomalyAlarm");
            assertThat(low[SEVERITY].value()).isEqualTo(ushort(500));
            assertThat(low[ACTIVE].value()).isEqualTo(true);
            assertThat(low[ACKED].value()).isEqualTo(false);
            assertThat(low[RETAIN].value()).isEqualTo(true);
            assertThat(low[ENABLED].value()).isEqualTo(true);
            assertThat(low[QUALITY].value()).isEqualTo(StatusCode.GOOD);
            assertThat(((LocalizedText) low[MESSAGE].value()).text())
                    .contains(well, "Low", "0.1500", "0.1000", "P-TPT");

            assess(well, RiskLevel.HIGH, 3);
            Variant[] high = events.next();
            assertThat(high[SEVERITY].value()).isEqualTo(ushort(900));
            assertThat(high[ACTIVE].value()).isEqualTo(true);
            assertThat(((LocalizedText) high[MESSAGE].value()).text()).contains("High");
            assertThat(high[EVENT_ID].value()).isNotEqualTo(low[EVENT_ID].value());

            // Four Normal samples are not enough to clear (clearSamples 5).
            assess(well, RiskLevel.NORMAL, 4);
            events.expectNone();
            assess(well, RiskLevel.NORMAL);
            Variant[] normal = events.next();
            assertThat(normal[ACTIVE].value()).isEqualTo(false);
            assertThat(normal[ACKED].value()).isEqualTo(false);
            assertThat(normal[RETAIN].value()).as("inactive but unacknowledged").isEqualTo(true);

            NodeId condition = (NodeId) normal[CONDITION_ID].value();
            StatusCode stale = call(condition, NodeIds.AcknowledgeableConditionType_Acknowledge,
                    new Variant(low[EVENT_ID].value()), new Variant(LocalizedText.english("old")));
            assertThat(stale.value()).isEqualTo(StatusCodes.Bad_EventIdUnknown);

            StatusCode ack = call(condition, NodeIds.AcknowledgeableConditionType_Acknowledge,
                    new Variant(normal[EVENT_ID].value()), new Variant(LocalizedText.english("seen, valve checked")));
            assertThat(ack.isGood()).as("acknowledge: %s", ack).isTrue();
            Variant[] acked = events.next();
            assertThat(acked[ACKED].value()).isEqualTo(true);
            assertThat(acked[ACTIVE].value()).isEqualTo(false);
            assertThat(acked[RETAIN].value()).isEqualTo(false);
            assertThat(((LocalizedText) acked[COMMENT].value()).text()).isEqualTo("seen, valve checked");

            StatusCode again = call(condition, NodeIds.AcknowledgeableConditionType_Acknowledge,
                    new Variant(acked[EVENT_ID].value()), new Variant(LocalizedText.english("again")));
            assertThat(again.value()).isEqualTo(StatusCodes.Bad_ConditionBranchAlreadyAcked);

            // A new activation is unacknowledged again.
            assess(well, RiskLevel.MEDIUM, 3);
            Variant[] medium = events.next();
            assertThat(medium[SEVERITY].value()).isEqualTo(ushort(700));
            assertThat(medium[ACKED].value()).isEqualTo(false);
        }
    }

    @Test
    void invalidSamplesNeitherRaiseNorClear() throws Exception {
        String well = addWell("WELL-INVALID");
        try (Events events = new Events(well)) {
            assess(well, RiskLevel.HIGH, 2);
            invalid(well, 5);
            events.expectNone();
            assess(well, RiskLevel.HIGH);   // third valid High sample in a row
            assertThat(events.next()[SEVERITY].value()).isEqualTo(ushort(900));
            invalid(well, 10);
            events.expectNone();
        }
    }

    /** While the model warms up after a gap, the held level is repeated, but it is not a judgement. */
    @Test
    void heldLevelsWhileWarmingUpNeitherRaiseNorClear() throws Exception {
        String well = addWell("WELL-WARMUP");
        try (Events events = new Events(well)) {
            assess(well, RiskLevel.HIGH, 1);
            warmingUp(well, RiskLevel.HIGH, 10);
            events.expectNone();
            assess(well, RiskLevel.HIGH, 2);   // second and third judged High in a row
            assertThat(events.next()[SEVERITY].value()).isEqualTo(ushort(900));
            assess(well, RiskLevel.NORMAL, 1);
            warmingUp(well, RiskLevel.NORMAL, 10);
            events.expectNone();
        }
    }

    @Test
    void addCommentDisableAndEnable() throws Exception {
        String well = addWell("WELL-ENABLE");
        try (Events events = new Events(well)) {
            assess(well, RiskLevel.LOW, 3);
            Variant[] active = events.next();
            NodeId condition = (NodeId) active[CONDITION_ID].value();

            StatusCode comment = call(condition, NodeIds.ConditionType_AddComment,
                    new Variant(active[EVENT_ID].value()), new Variant(LocalizedText.english("watching it")));
            assertThat(comment.isGood()).as("AddComment: %s", comment).isTrue();
            Variant[] commented = events.next();
            assertThat(((LocalizedText) commented[COMMENT].value()).text()).isEqualTo("watching it");
            assertThat(commented[ACKED].value()).isEqualTo(false);

            assertThat(call(condition, NodeIds.ConditionType_Disable).isGood()).isTrue();
            Variant[] disabled = events.next();
            assertThat(disabled[ENABLED].value()).isEqualTo(false);
            assertThat(disabled[RETAIN].value()).isEqualTo(false);

            // Disabled: no events, operator actions refused.
            assess(well, RiskLevel.HIGH, 3);
            events.expectNone();
            assertThat(call(condition, NodeIds.AcknowledgeableConditionType_Acknowledge,
                    new Variant(disabled[EVENT_ID].value()), new Variant(LocalizedText.english("x"))).value())
                    .isEqualTo(StatusCodes.Bad_ConditionDisabled);
            assertThat(call(condition, NodeIds.ConditionType_AddComment,
                    new Variant(disabled[EVENT_ID].value()), new Variant(LocalizedText.english("x"))).value())
                    .isEqualTo(StatusCodes.Bad_ConditionDisabled);
            assertThat(call(condition, NodeIds.ConditionType_Disable).value())
                    .isEqualTo(StatusCodes.Bad_ConditionAlreadyDisabled);

            assertThat(call(condition, NodeIds.ConditionType_Enable).isGood()).isTrue();
            Variant[] enabled = events.next();
            assertThat(enabled[ENABLED].value()).isEqualTo(true);
            assertThat(enabled[ACTIVE].value()).isEqualTo(true);
            assertThat(enabled[SEVERITY].value()).as("level tracked while disabled").isEqualTo(ushort(900));
            assertThat(enabled[RETAIN].value()).isEqualTo(true);
        }
    }

    @Test
    void qualityFollowsTheConnection() throws Exception {
        String well = addWell("WELL-QUALITY");
        try (Events events = new Events(well)) {
            server.listener().onConnectionState(well, false);
            Variant[] lost = events.next();
            assertThat(lost[QUALITY].value()).isEqualTo(new StatusCode(StatusCodes.Bad_NoCommunication));
            server.listener().onConnectionState(well, true);
            assertThat(events.next()[QUALITY].value()).isEqualTo(StatusCode.GOOD);
        }
    }

    // ---- Refresh ------------------------------------------------------------------------------------

    @Test
    void conditionRefreshReplaysRetainedConditionsToThatSubscriptionOnly() throws Exception {
        String retained = addWell("WELL-REFRESH");
        String quiet = addWell("WELL-QUIET");
        assess(retained, RiskLevel.MEDIUM, 3);
        assess(quiet, RiskLevel.NORMAL, 3);

        try (Events other = new Events(null); Events refreshed = new Events(null)) {
            StatusCode status = call(NodeIds.ConditionType, NodeIds.ConditionType_ConditionRefresh,
                    new Variant(refreshed.subscriptionId()));
            assertThat(status.isGood()).as("ConditionRefresh: %s", status).isTrue();
            checkRefresh(refreshed, retained);
            other.expectNone();

            status = call(NodeIds.ConditionType, NodeIds.ConditionType_ConditionRefresh2,
                    new Variant(refreshed.subscriptionId()), new Variant(refreshed.itemId()));
            assertThat(status.isGood()).as("ConditionRefresh2: %s", status).isTrue();
            checkRefresh(refreshed, retained);
            other.expectNone();

            assertThat(call(NodeIds.ConditionType, NodeIds.ConditionType_ConditionRefresh,
                    new Variant(uint(987654))).value()).isEqualTo(StatusCodes.Bad_SubscriptionIdInvalid);
            assertThat(call(NodeIds.ConditionType, NodeIds.ConditionType_ConditionRefresh2,
                    new Variant(refreshed.subscriptionId()), new Variant(uint(987654))).value())
                    .isEqualTo(StatusCodes.Bad_MonitoredItemIdInvalid);
        }
    }

    private void checkRefresh(Events events, String retainedWell) throws Exception {
        List<Variant[]> received = events.untilType(NodeIds.RefreshEndEventType);
        assertThat(received.get(0)[EVENT_TYPE].value()).isEqualTo(NodeIds.RefreshStartEventType);
        List<Variant[]> between = received.subList(1, received.size() - 1);
        assertThat(between).allSatisfy(e -> {
            assertThat(e[EVENT_TYPE].value()).isEqualTo(NodeIds.OffNormalAlarmType);
            assertThat(e[RETAIN].value()).isEqualTo(true);
        });
        assertThat(between).extracting(e -> e[CONDITION_ID].value())
                .contains(new NodeId(ns, "WellWatch/Wells/" + retainedWell + "/AnomalyAlarm"))
                .doesNotContain(new NodeId(ns, "WellWatch/Wells/WELL-QUIET/AnomalyAlarm"));
        Variant[] replay = between.stream()
                .filter(e -> e[SOURCE_NAME].value().equals(retainedWell)).findFirst().orElseThrow();
        assertThat(replay[SEVERITY].value()).isEqualTo(ushort(700));
        assertThat(replay[ACTIVE].value()).isEqualTo(true);
    }

    // ---- Restart --------------------------------------------------------------------------------------

    @Test
    void conditionIdIsTheSameAfterARestart(@TempDir Path otherPki) throws Exception {
        String well = "WELL-RESTART";
        NodeId first = conditionIdOf(server, client, well);
        NodeId second;
        WellWatchServer restarted = new WellWatchServer(UaTestSupport.loopbackConfig(UaTestSupport.freePort()), otherPki);
        try {
            restarted.addWell(well, 500);
            restarted.start();
            OpcUaClient other = UaTestSupport.connect(restarted.endpointUrl());
            try {
                second = conditionIdOf(restarted, other, well);
            } finally {
                other.disconnect();
            }
        } finally {
            restarted.stop();
        }
        assertThat(second).isEqualTo(first).isEqualTo(new NodeId(ns, "WellWatch/Wells/WELL-RESTART/AnomalyAlarm"));
    }

    private NodeId conditionIdOf(WellWatchServer s, OpcUaClient c, String well) throws Exception {
        s.addWell(well, 500);
        int index = c.readNamespaceTable().getIndex(WellWatchModel.NAMESPACE_URI).intValue();
        NodeId wellNode = new NodeId(index, "WellWatch/Wells/" + well);
        List<ReferenceDescription> conditions = browse(c, wellNode, NodeIds.HasCondition, BrowseDirection.Forward);
        assertThat(conditions).hasSize(1);
        NodeId id = conditions.get(0).getNodeId().toNodeId(c.getNamespaceTable()).orElseThrow();
        // Compare by namespace URI, not index: translate to this test's index.
        return new NodeId(ns, id.getIdentifier().toString());
    }

    // ---- Restore after a restart --------------------------------------------------------------------

    @Test
    void activeAlarmIsRestoredAfterARestartAndClearsWithNormalSamples(@TempDir Path dir) throws Exception {
        String well = "WELL-RESTORE";
        try (WellWatchServer first = stateServer(dir, "pki1", null, well)) {
            first.start();
            assess(first, well, RiskLevel.MEDIUM, 3);
            assertThat(first.namespace().anomalyAlarm(well).isActive()).isTrue();
        } // stopped with the alarm active and unacknowledged; nothing is written at stop

        HistoryStore history = new HistoryStore(HistoryConfig.at("jdbc:sqlite:" + dir.resolve("history.db")),
                Clock.systemUTC());
        try (history; LogCapture log = new LogCapture(AnomalyCondition.class.getName());
             WellWatchServer second = stateServer(dir, "pki2", history, well)) {
            second.start();
            assertThat(log.lines()).anySatisfy(l -> assertThat(l)
                    .startsWith("INFO " + well + ": AnomalyAlarm restored")
                    .contains("active, severity 700", "unacknowledged"));
            OpcUaClient other = UaTestSupport.connect(second.endpointUrl());
            try (Events events = new Events(other, well)) {
                // The restored event is the condition's latest: a refresh (as a client rebuilding its alarm list) shows it.
                assertThat(call(other, NodeIds.ConditionType, NodeIds.ConditionType_ConditionRefresh,
                        new Variant(events.subscriptionId())).isGood()).isTrue();
                Variant[] restored = events.next();
                assertThat(restored[ACTIVE].value()).isEqualTo(true);
                assertThat(restored[ACKED].value()).isEqualTo(false);
                assertThat(restored[SEVERITY].value()).isEqualTo(ushort(700));
                assertThat(restored[RETAIN].value()).isEqualTo(true);
                assertThat(restored[ENABLED].value()).isEqualTo(true);
                assertThat(((LocalizedText) restored[MESSAGE].value()).text()).isEqualTo(well
                        + ": anomaly risk Medium (loss 0.2000, tolerance 0.1000, top contributor P-TPT);"
                        + " restored after a restart, judged again from the next samples");

                assess(second, well, RiskLevel.NORMAL, 4);
                events.expectNone();
                assess(second, well, RiskLevel.NORMAL, 1);
                Variant[] cleared = events.next();
                assertThat(cleared[ACTIVE].value()).isEqualTo(false);
                assertThat(cleared[ACKED].value()).isEqualTo(false);
                assertThat(((LocalizedText) cleared[MESSAGE].value()).text()).contains("anomaly risk Normal, alarm cleared (loss");
            } finally {
                other.disconnect();
            }
            // Historians see the state again at the start, then the clearing event.
            assertThat(history.flush(java.time.Duration.ofSeconds(10))).isTrue();
            assertThat(history.readEvents(well, Instant.EPOCH, Instant.now().plusSeconds(3600), false, 0, 100))
                    .extracting(EventRecord::severity, e -> e.message().contains("restored after a restart"))
                    .contains(org.assertj.core.groups.Tuple.tuple(700, true))
                    .hasSize(2);
        }
        assertThat(new AlarmStateFile(dir.resolve("state").resolve(well).resolve(AlarmStateFile.FILE_NAME)).read()
                .orElseThrow().level()).isEqualTo(RiskLevel.NORMAL);
    }

    @Test
    void acknowledgedAndDisabledStatesSurviveARestart(@TempDir Path dir) throws Exception {
        String well = "WELL-ACKED";
        try (WellWatchServer first = stateServer(dir, "pki1", null, well)) {
            first.start();
            OpcUaClient c = UaTestSupport.connect(first.endpointUrl());
            try (Events events = new Events(c, well)) {
                assess(first, well, RiskLevel.LOW, 3);
                NodeId condition = (NodeId) events.next()[CONDITION_ID].value();
                assertThat(call(c, condition, NodeIds.AcknowledgeableConditionType_Acknowledge,
                        new Variant(first.namespace().anomalyAlarm(well).lastEventId()),
                        new Variant(LocalizedText.english("valve checked"))).isGood()).isTrue();
                assertThat(call(c, condition, NodeIds.ConditionType_Disable).isGood()).isTrue();
            } finally {
                c.disconnect();
            }
        }

        try (LogCapture log = new LogCapture(AnomalyCondition.class.getName());
             WellWatchServer second = stateServer(dir, "pki2", null, well)) {
            second.start();
            assertThat(log.lines()).anySatisfy(l -> assertThat(l)
                    .startsWith("INFO " + well + ": AnomalyAlarm restored")
                    .contains("active, severity 500", "acknowledged", "disabled"));
            AnomalyCondition alarm = second.namespace().anomalyAlarm(well);
            assertThat(alarm.isActive()).isTrue();
            assertThat(alarm.isAcked()).isTrue();
            assertThat(alarm.clientUserId()).as("who acknowledged, an anonymous session here").isEqualTo("anonymous");
            assertThat(alarm.isRetained()).as("disabled").isFalse();
            OpcUaClient c = UaTestSupport.connect(second.endpointUrl());
            try (Events events = new Events(c, well)) {
                NodeId condition = alarm.conditionId();
                assertThat(call(c, condition, NodeIds.ConditionType_Disable).value())
                        .isEqualTo(StatusCodes.Bad_ConditionAlreadyDisabled);
                assertThat(call(c, condition, NodeIds.ConditionType_Enable).isGood()).isTrue();
                Variant[] enabled = events.next();
                assertThat(enabled[ENABLED].value()).isEqualTo(true);
                assertThat(enabled[ACTIVE].value()).isEqualTo(true);
                assertThat(enabled[ACKED].value()).isEqualTo(true);
                assertThat(enabled[SEVERITY].value()).isEqualTo(ushort(500));
                assertThat(((LocalizedText) enabled[COMMENT].value()).text()).isEqualTo("valve checked");
            } finally {
                c.disconnect();
            }
        }
    }

    @Test
    void corruptStateFileIsReportedAndTheAlarmStartsInactive(@TempDir Path dir) throws Exception {
        String well = "WELL-CORRUPT";
        Path file = dir.resolve("state").resolve(well).resolve(AlarmStateFile.FILE_NAME);
        java.nio.file.Files.createDirectories(file.getParent());
        java.nio.file.Files.writeString(file, "{\"format\": 1, \"level\": \"MEDI");
        try (LogCapture log = new LogCapture(AlarmStateFile.class.getName());
             WellWatchServer s = stateServer(dir, "pki", null, well)) {
            s.start();
            assertThat(log.lines()).anySatisfy(l -> assertThat(l).startsWith("WARN Alarm state file")
                    .contains(file.toAbsolutePath().toString(), "starts inactive"));
            AnomalyCondition alarm = s.namespace().anomalyAlarm(well);
            assertThat(alarm.isActive()).isFalse();
            assertThat(alarm.isAcked()).isTrue();
            assess(s, well, RiskLevel.HIGH, 3);
            assertThat(alarm.isActive()).isTrue();
        }
        assertThat(new AlarmStateFile(file).read().orElseThrow().level()).as("rewritten").isEqualTo(RiskLevel.HIGH);
    }

    /** A server whose alarm state lives under {@code dir/state/<well>}, as under storage.modelDir. */
    private static WellWatchServer stateServer(Path dir, String pki, HistoryStore history, String well) throws Exception {
        WellWatchServer s = new WellWatchServer(UaTestSupport.loopbackConfig(UaTestSupport.freePort()), dir.resolve(pki));
        s.setAlarmStateDirectories(id -> dir.resolve("state").resolve(id));
        if (history != null) {
            s.setHistory(history);
        }
        s.addWell(well, 500);
        return s;
    }

    // ---- Helpers --------------------------------------------------------------------------------------

    private String addWell(String well) {
        server.addWell(well, 500);
        return well;
    }

    private void assess(String well, RiskLevel level) {
        assess(well, level, 1);
    }

    private void assess(String well, RiskLevel level, int samples) {
        assess(server, well, level, samples);
    }

    private void assess(WellWatchServer s, String well, RiskLevel level, int samples) {
        double loss = switch (level) {
            case NORMAL -> 0.05;
            case LOW -> 0.15;
            case MEDIUM -> 0.2;
            case HIGH -> 0.3;
        };
        for (int i = 0; i < samples; i++) {
            clock = clock.plusSeconds(3);
            s.listener().onAssessment(new Assessment(well, clock,
                    level.isAlarm() ? DataState.ANALYZING : DataState.NORMAL, level, loss, 0.1, 1, VALVES,
                    100, 500, clock, "P-TPT"));
        }
    }

    /** Valid samples the model did not judge: the last judgement's level and loss, held. */
    private void warmingUp(String well, RiskLevel held, int samples) {
        for (int i = 0; i < samples; i++) {
            clock = clock.plusSeconds(3);
            server.listener().onAssessment(new Assessment(well, clock, DataState.NORMAL, held, 0.3, 0.1, 1, VALVES,
                    100, 500, clock, "P-TPT", false));
        }
    }

    private void invalid(String well, int samples) {
        for (int i = 0; i < samples; i++) {
            clock = clock.plusSeconds(3);
            server.listener().onAssessment(new Assessment(well, clock, DataState.INVALID, RiskLevel.NORMAL,
                    Double.NaN, 0.1, 1, VALVES, 100, 500, clock, ""));
        }
    }

    private StatusCode call(NodeId object, NodeId method, Variant... inputs) throws Exception {
        return call(client, object, method, inputs);
    }

    private static StatusCode call(OpcUaClient c, NodeId object, NodeId method, Variant... inputs) throws Exception {
        return c.call(List.of(new CallMethodRequest(object, method, inputs))).getResults()[0].getStatusCode();
    }

    private static SimpleAttributeOperand field(NodeId type, String... path) {
        QualifiedName[] names = new QualifiedName[path.length];
        for (int i = 0; i < path.length; i++) {
            names[i] = new QualifiedName(0, path[i]);
        }
        return new SimpleAttributeOperand(type, names, AttributeId.Value.uid(), null);
    }

    static EventFilter conditionFilter() {
        return new EventFilter(new SimpleAttributeOperand[]{
                field(NodeIds.BaseEventType, "EventId"),
                field(NodeIds.BaseEventType, "EventType"),
                field(NodeIds.BaseEventType, "SourceNode"),
                field(NodeIds.BaseEventType, "Message"),
                field(NodeIds.BaseEventType, "Severity"),
                new SimpleAttributeOperand(NodeIds.ConditionType, new QualifiedName[0], AttributeId.NodeId.uid(), null),
                field(NodeIds.AlarmConditionType, "ActiveState", "Id"),
                field(NodeIds.AcknowledgeableConditionType, "AckedState", "Id"),
                field(NodeIds.ConditionType, "Retain"),
                field(NodeIds.ConditionType, "EnabledState", "Id"),
                field(NodeIds.ConditionType, "Quality"),
                field(NodeIds.ConditionType, "Comment"),
                field(NodeIds.ConditionType, "ConditionName"),
                field(NodeIds.BaseEventType, "SourceName")},
                new ContentFilter(null));
    }

    /** A subscription with one event item on the Server object; keeps the events of one well (or all). */
    private final class Events implements AutoCloseable {
        private final String well;
        private final BlockingQueue<Variant[]> queue = new LinkedBlockingQueue<>();
        private final OpcUaSubscription subscription;
        private final OpcUaMonitoredItem item;

        Events(String well) throws Exception {
            this(client, well);
        }

        Events(OpcUaClient c, String well) throws Exception {
            this.well = well;
            subscription = new OpcUaSubscription(c, 50.0);
            subscription.create();
            item = OpcUaMonitoredItem.newEventItem(NodeIds.Server, conditionFilter());
            item.setQueueSize(uint(1000));
            item.setEventValueListener((i, fields) -> {
                if (this.well == null || this.well.equals(fields[SOURCE_NAME].value())) {
                    queue.add(fields);
                }
            });
            subscription.addMonitoredItem(item);
            subscription.synchronizeMonitoredItems();
            assertThat(item.getCreateResult().orElseThrow().isGood()).isTrue();
        }

        UInteger subscriptionId() {
            return subscription.getSubscriptionId().orElseThrow();
        }

        UInteger itemId() {
            return item.getMonitoredItemId().orElseThrow();
        }

        Variant[] next() throws InterruptedException {
            Variant[] event = queue.poll(10, TimeUnit.SECONDS);
            assertThat(event).as("an event of %s", well).isNotNull();
            return event;
        }

        void expectNone() throws InterruptedException {
            Variant[] event = queue.poll(QUIET_MS, TimeUnit.MILLISECONDS);
            assertThat(event).as("no event expected").isNull();
        }

        List<Variant[]> untilType(NodeId type) throws InterruptedException {
            List<Variant[]> events = new ArrayList<>();
            while (true) {
                Variant[] e = next();
                events.add(e);
                if (type.equals(e[EVENT_TYPE].value())) {
                    return events;
                }
            }
        }

        @Override
        public void close() throws Exception {
            subscription.delete();
        }
    }
}
