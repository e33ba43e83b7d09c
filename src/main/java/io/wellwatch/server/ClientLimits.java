package io.wellwatch.server;

import io.wellwatch.config.ServerLimits;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfigLimits;
import org.eclipse.milo.opcua.stack.core.channel.EncodingLimits;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * The configured {@link ServerLimits} in Milo's terms. Milo enforces them itself and answers with
 * the standard status codes (Bad_TooManySessions, Bad_TooManySubscriptions,
 * Bad_TooManyMonitoredItems, Bad_TooManyOperations, and Bad_RequestTooLarge for a message above
 * the size limit); everything not configured keeps Milo's default.
 */
final class ClientLimits implements OpcUaServerConfigLimits {

    private final ServerLimits limits;

    ClientLimits(ServerLimits limits) {
        this.limits = limits;
    }

    /** Message size limit; chunks stay Milo's default size and their count follows from the message size. */
    static EncodingLimits encodingLimits(ServerLimits limits) {
        int chunkSize = EncodingLimits.DEFAULT_MAX_CHUNK_SIZE;
        int chunks = Math.max(1, (limits.maxMessageSize() + chunkSize - 1) / chunkSize);
        return new EncodingLimits(chunkSize, chunks, limits.maxMessageSize(), EncodingLimits.DEFAULT_MAX_RECURSION_DEPTH);
    }

    @Override
    public UInteger getMaxSessions() {
        return uint(limits.maxSessions());
    }

    @Override
    public UInteger getMaxSubscriptionsPerSession() {
        return uint(limits.maxSubscriptionsPerSession());
    }

    @Override
    public UInteger getMaxMonitoredItemsPerSession() {
        return uint(limits.maxMonitoredItemsPerSession());
    }

    @Override
    public UInteger getMaxNodesPerRead() {
        return uint(limits.maxNodesPerRead());
    }

    @Override
    public UInteger getMaxNodesPerBrowse() {
        return uint(limits.maxNodesPerBrowse());
    }

    @Override
    public UInteger getMaxNodesPerTranslateBrowsePathsToNodeIds() {
        return uint(limits.maxNodesPerBrowse());
    }

    @Override
    public UInteger getMaxNodesPerHistoryReadData() {
        return uint(limits.maxNodesPerHistoryRead());
    }

    @Override
    public UInteger getMaxNodesPerHistoryReadEvents() {
        return uint(limits.maxNodesPerHistoryRead());
    }

    @Override
    public UInteger getMaxNodesPerMethodCall() {
        return uint(limits.maxNodesPerMethodCall());
    }
}
