package io.wellwatch.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What one client (or all of them) may ask of the WellWatch server; requests beyond are refused with
 * the OPC UA status codes (Bad_TooManySessions, Bad_TooManySubscriptions, Bad_TooManyMonitoredItems,
 * Bad_TooManyOperations, Bad_RequestTooLarge / Bad_ResponseTooLarge) rather than slowing detection.
 * The defaults serve a few HMIs and a historian with room to spare.
 *
 * @param maxSessions                 concurrent sessions, default 50
 * @param maxSubscriptionsPerSession  default 10
 * @param maxMonitoredItemsPerSession default 1000
 * @param maxNodesPerRead             nodes in one Read, default 1000
 * @param maxNodesPerBrowse           nodes in one Browse or TranslateBrowsePaths, default 1000
 * @param maxNodesPerHistoryRead      nodes in one HistoryRead (data or events), default 100
 * @param maxNodesPerMethodCall       methods in one Call, default 100
 * @param maxMessageSize              bytes of one request or response, default 2 MiB, at least 1 MiB
 *                                    (Milo applies it also when loading its own address space)
 */
public record ServerLimits(int maxSessions, int maxSubscriptionsPerSession, int maxMonitoredItemsPerSession,
                           int maxNodesPerRead, int maxNodesPerBrowse, int maxNodesPerHistoryRead,
                           int maxNodesPerMethodCall, int maxMessageSize) {

    public static final int MIN_MESSAGE_SIZE = 1 << 20;

    public static final ServerLimits DEFAULT = new ServerLimits(50, 10, 1000, 1000, 1000, 100, 100, 2 * 1024 * 1024);

    @JsonCreator
    public static ServerLimits of(
            @JsonProperty("maxSessions") Integer maxSessions,
            @JsonProperty("maxSubscriptionsPerSession") Integer maxSubscriptionsPerSession,
            @JsonProperty("maxMonitoredItemsPerSession") Integer maxMonitoredItemsPerSession,
            @JsonProperty("maxNodesPerRead") Integer maxNodesPerRead,
            @JsonProperty("maxNodesPerBrowse") Integer maxNodesPerBrowse,
            @JsonProperty("maxNodesPerHistoryRead") Integer maxNodesPerHistoryRead,
            @JsonProperty("maxNodesPerMethodCall") Integer maxNodesPerMethodCall,
            @JsonProperty("maxMessageSize") Integer maxMessageSize) {
        ServerLimits d = DEFAULT;
        return new ServerLimits(
                maxSessions == null ? d.maxSessions : maxSessions,
                maxSubscriptionsPerSession == null ? d.maxSubscriptionsPerSession : maxSubscriptionsPerSession,
                maxMonitoredItemsPerSession == null ? d.maxMonitoredItemsPerSession : maxMonitoredItemsPerSession,
                maxNodesPerRead == null ? d.maxNodesPerRead : maxNodesPerRead,
                maxNodesPerBrowse == null ? d.maxNodesPerBrowse : maxNodesPerBrowse,
                maxNodesPerHistoryRead == null ? d.maxNodesPerHistoryRead : maxNodesPerHistoryRead,
                maxNodesPerMethodCall == null ? d.maxNodesPerMethodCall : maxNodesPerMethodCall,
                maxMessageSize == null ? d.maxMessageSize : maxMessageSize);
    }
}
