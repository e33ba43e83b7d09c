package io.wellwatch.server.alarm;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.Session;
import org.eclipse.milo.opcua.sdk.server.items.BaseMonitoredItem;
import org.eclipse.milo.opcua.sdk.server.items.EventItem;
import org.eclipse.milo.opcua.sdk.server.model.objects.BaseEventTypeNode;
import org.eclipse.milo.opcua.sdk.server.model.objects.ConditionType;
import org.eclipse.milo.opcua.sdk.server.nodes.UaMethodNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaNode;
import org.eclipse.milo.opcua.sdk.server.subscriptions.Subscription;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;

/**
 * ConditionRefresh (i=3875) and ConditionRefresh2 (i=12912) of ConditionType, as OPC UA Part 9
 * describes them: called with ObjectId ConditionType, they send RefreshStartEvent, the latest
 * event of every retained condition, and RefreshEndEvent, to the event items of that one
 * subscription (or that one monitored item) of the caller's session, and to no one else.
 *
 * <p>Milo 1.1.2 ships its own handler for ConditionRefresh that fires RefreshStart and
 * RefreshEnd through the server-wide event notifier (so every subscriber sees them) and has no
 * conditions to replay; ConditionRefresh2 has none. {@link #install()} replaces the handlers on
 * the two method nodes of namespace 0. Delivery to one subscription uses what Milo exposes: the
 * session's {@code SubscriptionManager}, {@code Subscription.getMonitoredItems()}, and
 * {@code EventItem.onEvent(BaseEventTypeNode)}, which applies the item's own where clause and
 * select clauses and queues the notification on that item only.
 */
public final class ConditionRefresh {

    private static final Logger LOG = LogManager.getLogger(ConditionRefresh.class);

    private final OpcUaServer server;
    private final Supplier<Collection<AnomalyCondition>> conditions;
    private final Function<EventItem, Predicate<NodeId>> itemSources;
    private final Supplier<NodeId> eventNodeIds;
    private final Supplier<ByteString> eventIds;

    /**
     * @param conditions   the conditions to replay when retained
     * @param itemSources  for an event item, which SourceNodes its notifier reports
     * @param eventNodeIds NodeIds for the transient RefreshStart/RefreshEnd event nodes
     */
    public ConditionRefresh(OpcUaServer server, Supplier<Collection<AnomalyCondition>> conditions,
                            Function<EventItem, Predicate<NodeId>> itemSources, Supplier<NodeId> eventNodeIds,
                            Supplier<ByteString> eventIds) {
        this.server = server;
        this.conditions = conditions;
        this.itemSources = itemSources;
        this.eventNodeIds = eventNodeIds;
        this.eventIds = eventIds;
    }

    /** Installs the handlers on ConditionType's ConditionRefresh and ConditionRefresh2 method nodes. */
    public void install() {
        UaMethodNode refresh = methodNode(NodeIds.ConditionType_ConditionRefresh);
        if (refresh != null) {
            refresh.setInvocationHandler(new ConditionType.ConditionRefreshMethod(refresh) {
                @Override
                protected void invoke(InvocationContext context, UInteger subscriptionId) throws UaException {
                    refresh(context.getSession().orElse(null), subscriptionId, null);
                }
            });
        }
        UaMethodNode refresh2 = methodNode(NodeIds.ConditionType_ConditionRefresh2);
        if (refresh2 != null) {
            refresh2.setInvocationHandler(new ConditionType.ConditionRefresh2Method(refresh2) {
                @Override
                protected void invoke(InvocationContext context, UInteger subscriptionId, UInteger monitoredItemId)
                        throws UaException {
                    refresh(context.getSession().orElse(null), subscriptionId, monitoredItemId);
                }
            });
        }
    }

    private UaMethodNode methodNode(NodeId id) {
        UaNode node = server.getAddressSpaceManager().getManagedNode(id).orElse(null);
        if (node instanceof UaMethodNode method) {
            return method;
        }
        LOG.warn("{} is not a method node of this server; condition refresh via it is unavailable", id);
        return null;
    }

    /**
     * Replays the retained conditions to one subscription (all its event items) or, with
     * {@code monitoredItemId}, to one of its event items.
     */
    void refresh(Session session, UInteger subscriptionId, UInteger monitoredItemId) throws UaException {
        if (session == null) {
            throw new UaException(StatusCodes.Bad_SessionIdInvalid);
        }
        Subscription subscription = session.getSubscriptionManager().getSubscription(subscriptionId);
        if (subscription == null) {
            throw new UaException(StatusCodes.Bad_SubscriptionIdInvalid);
        }
        List<EventItem> items = new ArrayList<>();
        if (monitoredItemId == null) {
            for (BaseMonitoredItem<?> item : subscription.getMonitoredItems().values()) {
                if (item instanceof EventItem eventItem && eventItem.isSamplingEnabled()) {
                    items.add(eventItem);
                }
            }
        } else {
            BaseMonitoredItem<?> item = subscription.getMonitoredItems().get(monitoredItemId);
            if (!(item instanceof EventItem eventItem)) {
                throw new UaException(StatusCodes.Bad_MonitoredItemIdInvalid);
            }
            items.add(eventItem);
        }

        BaseEventTypeNode start = marker(NodeIds.RefreshStartEventType, "RefreshStart");
        BaseEventTypeNode end = marker(NodeIds.RefreshEndEventType, "RefreshEnd");
        int replayed = 0;
        try {
            items.forEach(item -> item.onEvent(start));
            for (AnomalyCondition condition : conditions.get()) {
                if (!condition.isRetained()) {
                    continue;
                }
                for (EventItem item : items) {
                    Predicate<NodeId> sources = itemSources.apply(item);
                    if (sources != null && sources.test(condition.sourceNode())) {
                        condition.replayTo(item);
                        replayed++;
                    }
                }
            }
            items.forEach(item -> item.onEvent(end));
        } finally {
            start.delete();
            end.delete();
        }
        LOG.info("ConditionRefresh{} of subscription {}{}: {} event item(s), {} retained condition event(s) replayed",
                monitoredItemId == null ? "" : "2", subscriptionId,
                monitoredItemId == null ? "" : " item " + monitoredItemId, items.size(), replayed);
    }

    private BaseEventTypeNode marker(NodeId type, String name) throws UaException {
        BaseEventTypeNode event = server.getEventFactory().createEvent(eventNodeIds.get(), type);
        DateTime now = DateTime.now();
        event.setEventId(eventIds.get());
        event.setEventType(type);
        event.setSourceNode(NodeIds.Server);
        event.setSourceName("Server");
        event.setTime(now);
        event.setReceiveTime(now);
        event.setMessage(LocalizedText.english(name));
        event.setSeverity(ushort(100));
        return event;
    }

    /** A new random 16-byte EventId. */
    public static ByteString newEventId() {
        UUID uuid = UUID.randomUUID();
        return ByteString.of(java.nio.ByteBuffer.allocate(16)
                .putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits())
                .array());
    }

}
