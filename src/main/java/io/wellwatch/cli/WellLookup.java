package io.wellwatch.cli;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.wellwatch.server.WellWatchModel;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;

/**
 * Checks a well ID against the wells a server has (browsed under Objects/WellWatch/Wells) before
 * reading its history: a HistoryRead of an unknown node only answers with a status code.
 */
final class WellLookup {

    /** How many well IDs an error message lists at most. */
    private static final int SHOWN = 20;

    private WellLookup() {
    }

    /** @throws IllegalStateException naming the server's wells when it has no well {@code well} */
    static void require(OpcUaClient client, int ns, String well, String endpoint) throws UaException {
        List<String> wells = wells(client, ns);
        if (!wells.contains(well)) {
            String shown = wells.size() <= SHOWN ? wells.toString()
                    : wells.subList(0, SHOWN) + " and " + (wells.size() - SHOWN) + " more";
            throw new IllegalStateException("no well '" + well + "' on " + endpoint + "; its wells: " + shown);
        }
    }

    /** The browse names of the objects in the Wells folder, which are the well IDs. */
    static List<String> wells(OpcUaClient client, int ns) throws UaException {
        BrowseResult result = client.browse(new BrowseDescription(new NodeId(ns, WellWatchModel.wellsFolderId()),
                BrowseDirection.Forward, NodeIds.HierarchicalReferences, true,
                uint(NodeClass.Object.getValue()), uint(BrowseResultMask.BrowseName.getValue())));
        // A well may be reached by more than one hierarchical reference: list each once.
        Set<String> wells = new LinkedHashSet<>();
        while (true) {
            if (result.getStatusCode().isBad()) {
                throw new UaException(result.getStatusCode(), "browsing the wells failed");
            }
            for (ReferenceDescription r : result.getReferences() == null ? new ReferenceDescription[0]
                    : result.getReferences()) {
                wells.add(r.getBrowseName().name());
            }
            ByteString cp = result.getContinuationPoint();
            if (cp == null || cp.isNull()) {
                return new ArrayList<>(wells);
            }
            result = client.browseNext(false, List.of(cp)).getResults()[0];
        }
    }
}
