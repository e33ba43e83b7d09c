package io.wellwatch.server;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.UUID;

import io.wellwatch.core.ModelTrained;
import org.eclipse.milo.opcua.sdk.core.QualifiedProperty;
import org.eclipse.milo.opcua.sdk.core.ValueRanks;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.model.objects.BaseEventTypeNode;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;

/** Builds and fires ModelRetrainedEventType events through the server's event notifier. */
final class ModelRetrainedEvents {

    private static final QualifiedProperty<String> WELL_ID = property(WellWatchModel.FIELD_WELL_ID,
            NodeIds.String, String.class);
    private static final QualifiedProperty<String> VALVE_STATE = property(WellWatchModel.FIELD_VALVE_STATE,
            NodeIds.String, String.class);
    private static final QualifiedProperty<UInteger> MODEL_VERSION = property(WellWatchModel.FIELD_MODEL_VERSION,
            NodeIds.UInt32, UInteger.class);
    private static final QualifiedProperty<Double> TOLERANCE = property(WellWatchModel.FIELD_TOLERANCE,
            NodeIds.Double, Double.class);
    private static final QualifiedProperty<Double> TRAINING_LOSS = property(WellWatchModel.FIELD_TRAINING_LOSS,
            NodeIds.Double, Double.class);
    private static final QualifiedProperty<UInteger> SAMPLE_COUNT = property(WellWatchModel.FIELD_SAMPLE_COUNT,
            NodeIds.UInt32, UInteger.class);

    private final OpcUaServer server;
    private final WellWatchTypes types;

    ModelRetrainedEvents(OpcUaServer server, WellWatchTypes types) {
        this.server = server;
        this.types = types;
    }

    /** Fires one event for {@code trained}, with the well object as SourceNode. */
    void fire(ModelTrained trained, NodeId sourceNode) throws UaException {
        UUID eventId = UUID.randomUUID();
        BaseEventTypeNode event = server.getEventFactory().createEvent(
                types.nodeId("Events/" + eventId), types.modelRetrainedEventType);
        try {
            DateTime now = DateTime.now();
            event.setEventId(ByteString.of(bytes(eventId)));
            event.setEventType(types.modelRetrainedEventType);
            event.setSourceNode(sourceNode);
            event.setSourceName(trained.wellId());
            event.setTime(trained.trainedAt() == null ? now : new DateTime(trained.trainedAt()));
            event.setReceiveTime(now);
            event.setSeverity(ushort(WellWatchModel.MODEL_RETRAINED_SEVERITY));
            event.setMessage(LocalizedText.english(message(trained)));

            event.setProperty(WELL_ID, trained.wellId());
            event.setProperty(VALVE_STATE, trained.valveState() == null ? "" : trained.valveState());
            event.setProperty(MODEL_VERSION, uint(Math.max(0, trained.modelVersion())));
            event.setProperty(TOLERANCE, trained.tolerance());
            event.setProperty(TRAINING_LOSS, trained.trainingLoss());
            event.setProperty(SAMPLE_COUNT, uint(Math.max(0, trained.sampleCount())));

            server.getEventNotifier().fire(event);
        } finally {
            // Event nodes live in the EventFactory's node manager until deleted.
            event.delete();
        }
    }

    static String message(ModelTrained trained) {
        return String.format(Locale.ROOT,
                "%s: model v%d trained for valve state %s on %d samples (tolerance %.6g, training loss %.6g)",
                trained.wellId(), trained.modelVersion(), trained.valveState(), trained.sampleCount(),
                trained.tolerance(), trained.trainingLoss());
    }

    private static byte[] bytes(UUID uuid) {
        return ByteBuffer.allocate(16)
                .putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits())
                .array();
    }

    private static <T> QualifiedProperty<T> property(String name, NodeId dataType, Class<T> javaType) {
        return new QualifiedProperty<>(WellWatchModel.NAMESPACE_URI, name, dataType.expanded(),
                ValueRanks.Scalar, javaType);
    }
}
