package io.wellwatch.server;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import io.wellwatch.core.ModelTrained;
import io.wellwatch.history.EventRecord;
import io.wellwatch.history.HistoryStore;
import io.wellwatch.history.ValueRecord;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.encoding.EncodingContext;
import org.eclipse.milo.opcua.stack.core.types.UaStructuredType;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
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

/**
 * Answers HistoryRead for the wells from the {@link HistoryStore}: ReadRawModifiedDetails (raw only)
 * and ReadProcessedDetails (Average, Minimum, Maximum, Count) on the historizing variables,
 * ReadEventDetails on the well objects with select and where clauses ({@link HistoryEventFilter}).
 *
 * <p>Continuation points are stateless: they carry the position in the result sequence and a
 * digest of the request, so a client that re-sends the same details (as Part 11 requires) resumes
 * where it stopped, and one that changes them gets Bad_ContinuationPointInvalid. Nothing is held
 * on the server, so releasing one costs nothing.
 */
final class WellHistory {

    private static final Logger LOG = LogManager.getLogger(WellHistory.class);

    /** Most values, intervals or events in one result; larger requests continue. */
    static final int MAX_PER_RESPONSE = 10_000;
    /** Most raw values one processed read aggregates. */
    private static final int MAX_RAW_FOR_PROCESSED = 2_000_000;
    private static final Instant EARLIEST = Instant.ofEpochMilli(-(1L << 50));
    private static final Instant LATEST = Instant.ofEpochMilli(1L << 50);
    private static final int CP_MAGIC = 0x57574831; // "WWH1"

    /** Good, with the Calculated historian bit (and DataValue info type) for aggregates computed from several values. */
    private static final StatusCode CALCULATED = new StatusCode(StatusCodes.Good | 0x0400 | 0x01);

    /** What a HistoryRead node id stands for: a well's variable, or (variable null) the well object. */
    record Target(String wellId, WellVariable variable, NodeId wellNode) {
    }

    /** Most recorded events one response reads while looking for events that pass the where clause. */
    private static final int MAX_SCANNED_PER_RESPONSE = 100_000;
    private static final int SCAN_CHUNK = 1_000;

    /** What the server knows that the history needs: its encoding, namespaces and type hierarchy. */
    interface ServerView {
        EncodingContext encoding();

        NamespaceTable namespaces();

        /** (type, superType): whether type is a (transitive) subtype of superType. */
        boolean isSubtypeOf(NodeId type, NodeId superType);

        NodeId modelRetrainedEventType();
    }

    private final HistoryStore store;
    private final Function<NodeId, Target> targets;
    private final ServerView server;

    WellHistory(HistoryStore store, Function<NodeId, Target> targets, ServerView server) {
        this.store = Objects.requireNonNull(store, "store");
        this.targets = targets;
        this.server = server;
    }

    List<HistoryReadResult> read(HistoryReadDetails details, TimestampsToReturn timestamps,
                                 List<HistoryReadValueId> ids) {
        List<HistoryReadResult> results = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            HistoryReadValueId id = ids.get(i);
            try {
                results.add(readOne(details, timestamps, id, i, ids.size()));
            } catch (SQLException | RuntimeException e) {
                LOG.warn("HistoryRead of {} failed: {}", id.getNodeId(), e.toString());
                results.add(failure(StatusCodes.Bad_InternalError));
            }
        }
        return results;
    }

    private HistoryReadResult readOne(HistoryReadDetails details, TimestampsToReturn timestamps, HistoryReadValueId id,
                                      int index, int count) throws SQLException {
        Target target = targets.apply(id.getNodeId());
        if (target == null) {
            return failure(StatusCodes.Bad_HistoryOperationUnsupported);
        }
        if (details instanceof ReadRawModifiedDetails raw) {
            if (target.variable() == null) {
                return failure(StatusCodes.Bad_HistoryOperationUnsupported);
            }
            if (Boolean.TRUE.equals(raw.getIsReadModified())) {
                return failure(StatusCodes.Bad_HistoryOperationUnsupported); // values are never modified
            }
            if (timestamps == TimestampsToReturn.Neither) {
                return failure(StatusCodes.Bad_TimestampsToReturnInvalid);
            }
            return readRaw(raw, timestamps, id, target);
        }
        if (details instanceof ReadProcessedDetails processed) {
            if (target.variable() == null) {
                return failure(StatusCodes.Bad_HistoryOperationUnsupported);
            }
            NodeId[] aggregates = processed.getAggregateType();
            if (aggregates == null || aggregates.length != count) {
                return failure(StatusCodes.Bad_AggregateListMismatch);
            }
            return readProcessed(processed, aggregates[index], timestamps, id, target);
        }
        if (details instanceof ReadEventDetails events) {
            if (target.variable() != null) {
                return failure(StatusCodes.Bad_HistoryOperationUnsupported);
            }
            return readEvents(events, id, target);
        }
        return failure(StatusCodes.Bad_HistoryOperationUnsupported);
    }

    // ---- Raw ---------------------------------------------------------------------------------------

    private HistoryReadResult readRaw(ReadRawModifiedDetails d, TimestampsToReturn timestamps, HistoryReadValueId id,
                                      Target target) throws SQLException {
        Instant start = instant(d.getStartTime());
        Instant end = instant(d.getEndTime());
        long perNode = d.getNumValuesPerNode() == null ? 0 : d.getNumValuesPerNode().longValue();
        boolean bounds = Boolean.TRUE.equals(d.getReturnBounds());
        if ((start == null && end == null) || ((start == null || end == null) && perNode == 0)) {
            return failure(StatusCodes.Bad_InvalidTimestampArgument);
        }
        // Forward [start, end) unless only the end is given or start is after end (then newest first).
        boolean descending = start == null || (end != null && start.isAfter(end));
        Instant from = start != null ? start : end;
        Instant to = start == null ? EARLIEST : end != null ? end : LATEST;
        if (start != null && start.equals(end)) {
            to = start.plusMillis(1); // values at exactly that time
        }
        int pageSize = perNode == 0 ? MAX_PER_RESPONSE : (int) Math.min(perNode, MAX_PER_RESPONSE);
        String variable = target.variable().browseName();

        long digest = digest("raw", id.getNodeId(), d.getStartTime(), d.getEndTime(), bounds, 0);
        long offset = offset(id.getContinuationPoint(), digest);
        if (offset < 0) {
            return failure(StatusCodes.Bad_ContinuationPointInvalid);
        }

        List<DataValue> page = new ArrayList<>();
        ValueRecord startBound = null;
        boolean startBoundMissing = false;
        if (bounds && start != null) {
            var b = descending ? store.valueAtOrAfter(target.wellId(), variable, from)
                    : store.valueAtOrBefore(target.wellId(), variable, from);
            if (b.isEmpty()) {
                startBoundMissing = true;
            } else if (!b.get().sourceTime().equals(from)) {
                startBound = b.get();
            } // else the value at the start time is the first raw value
        }
        boolean hasStartBound = startBound != null || startBoundMissing;
        long index = offset;
        if (hasStartBound && index == 0) {
            page.add(startBound != null ? dataValue(startBound, target, timestamps)
                    : boundNotFound(from, timestamps));
            index = 1;
        }
        long rawOffset = index - (hasStartBound ? 1 : 0);
        int room = pageSize - page.size();
        List<ValueRecord> rows = room > 0
                ? store.readValues(target.wellId(), variable, from, to, descending, (int) rawOffset, room + 1)
                : List.<ValueRecord>of();
        boolean more = false;
        if (room == 0 || rows.size() > room) {
            more = true;
        }
        for (int i = 0; i < Math.min(room, rows.size()); i++) {
            page.add(dataValue(rows.get(i), target, timestamps));
        }
        if (!more && bounds && end != null && start != null) {
            if (page.size() < pageSize) {
                Instant edge = end;
                var b = descending ? store.valueAtOrBefore(target.wellId(), variable, edge)
                        : store.valueAtOrAfter(target.wellId(), variable, edge);
                page.add(b.isPresent() ? dataValue(b.get(), target, timestamps) : boundNotFound(edge, timestamps));
            } else {
                more = true;
            }
        }
        ByteString cp = more ? continuation(offset + page.size(), digest) : ByteString.NULL_VALUE;
        return new HistoryReadResult(StatusCode.GOOD, cp,
                encode(new HistoryData(page.toArray(DataValue[]::new))));
    }

    // ---- Processed ---------------------------------------------------------------------------------

    private enum Aggregate { AVERAGE, MINIMUM, MAXIMUM, COUNT }

    private HistoryReadResult readProcessed(ReadProcessedDetails d, NodeId aggregateId, TimestampsToReturn timestamps,
                                            HistoryReadValueId id, Target target) throws SQLException {
        Aggregate aggregate;
        if (NodeIds.AggregateFunction_Average.equals(aggregateId)) {
            aggregate = Aggregate.AVERAGE;
        } else if (NodeIds.AggregateFunction_Minimum.equals(aggregateId)) {
            aggregate = Aggregate.MINIMUM;
        } else if (NodeIds.AggregateFunction_Maximum.equals(aggregateId)) {
            aggregate = Aggregate.MAXIMUM;
        } else if (NodeIds.AggregateFunction_Count.equals(aggregateId)) {
            aggregate = Aggregate.COUNT;
        } else {
            return failure(StatusCodes.Bad_AggregateNotSupported);
        }
        if (timestamps == TimestampsToReturn.Neither) {
            return failure(StatusCodes.Bad_TimestampsToReturnInvalid);
        }
        Instant start = instant(d.getStartTime());
        Instant end = instant(d.getEndTime());
        double intervalMs = d.getProcessingInterval() == null ? 0 : d.getProcessingInterval();
        if (start == null || end == null || !start.isBefore(end) || intervalMs < 0 || !Double.isFinite(intervalMs)) {
            return failure(StatusCodes.Bad_InvalidTimestampArgument);
        }
        long span = end.toEpochMilli() - start.toEpochMilli();
        long interval = intervalMs < 1 ? span : Math.min(span, (long) intervalMs);
        long intervals = (span + interval - 1) / interval;

        long digest = digest("processed", id.getNodeId(), d.getStartTime(), d.getEndTime(), false,
                Double.doubleToLongBits(intervalMs) ^ aggregateId.hashCode());
        long first = offset(id.getContinuationPoint(), digest);
        if (first < 0 || first > intervals) {
            return failure(StatusCodes.Bad_ContinuationPointInvalid);
        }
        long last = Math.min(intervals, first + MAX_PER_RESPONSE);

        Instant pageStart = Instant.ofEpochMilli(start.toEpochMilli() + first * interval);
        Instant pageEnd = Instant.ofEpochMilli(Math.min(end.toEpochMilli(), start.toEpochMilli() + last * interval));
        List<ValueRecord> raw = store.readValues(target.wellId(), target.variable().browseName(), pageStart, pageEnd,
                false, 0, MAX_RAW_FOR_PROCESSED);

        List<DataValue> out = new ArrayList<>();
        int r = 0;
        for (long k = first; k < last; k++) {
            long lo = start.toEpochMilli() + k * interval;
            long hi = Math.min(end.toEpochMilli(), lo + interval);
            int count = 0;
            double sum = 0;
            ValueRecord min = null;
            ValueRecord max = null;
            while (r < raw.size() && raw.get(r).sourceTime().toEpochMilli() < hi) {
                ValueRecord v = raw.get(r++);
                if (v.status() != StatusCodes.Good || v.value() == null) {
                    continue; // only Good values are aggregated
                }
                count++;
                sum += v.value();
                if (min == null || v.value() < min.value()) {
                    min = v;
                }
                if (max == null || v.value() > max.value()) {
                    max = v;
                }
            }
            DateTime intervalStart = new DateTime(Instant.ofEpochMilli(lo));
            out.add(switch (aggregate) {
                case COUNT -> value(Variant.ofInt32(count), StatusCode.GOOD, intervalStart, timestamps);
                case AVERAGE -> count == 0 ? value(Variant.NULL_VALUE, new StatusCode(StatusCodes.Bad_NoData), intervalStart, timestamps)
                        : value(Variant.ofDouble(sum / count), CALCULATED, intervalStart, timestamps);
                case MINIMUM -> extreme(min, target, intervalStart, timestamps);
                case MAXIMUM -> extreme(max, target, intervalStart, timestamps);
            });
        }
        ByteString cp = last < intervals ? continuation(last, digest) : ByteString.NULL_VALUE;
        return new HistoryReadResult(StatusCode.GOOD, cp, encode(new HistoryData(out.toArray(DataValue[]::new))));
    }

    /** Minimum and Maximum: the raw value with its own timestamp, Bad_NoData at the interval start if none. */
    private DataValue extreme(ValueRecord v, Target target, DateTime intervalStart, TimestampsToReturn timestamps) {
        if (v == null) {
            return value(Variant.NULL_VALUE, new StatusCode(StatusCodes.Bad_NoData), intervalStart, timestamps);
        }
        return value(variant(v.value(), target.variable()), StatusCode.GOOD, new DateTime(v.sourceTime()), timestamps);
    }

    // ---- Events ------------------------------------------------------------------------------------

    private HistoryReadResult readEvents(ReadEventDetails d, HistoryReadValueId id, Target target) throws SQLException {
        Instant start = instant(d.getStartTime());
        Instant end = instant(d.getEndTime());
        long perNode = d.getNumValuesPerNode() == null ? 0 : d.getNumValuesPerNode().longValue();
        if ((start == null && end == null) || ((start == null || end == null) && perNode == 0)) {
            return failure(StatusCodes.Bad_InvalidTimestampArgument);
        }
        EventFilter filter = d.getFilter();
        SimpleAttributeOperand[] select = filter == null ? null : filter.getSelectClauses();
        if (select == null || select.length == 0) {
            return failure(StatusCodes.Bad_EventFilterInvalid); // Part 11: at least one select clause
        }
        HistoryEventFilter where;
        try {
            where = HistoryEventFilter.of(filter.getWhereClause(), server.encoding(), server.namespaces(),
                    server::isSubtypeOf);
        } catch (HistoryEventFilter.InvalidFilterException e) {
            LOG.debug("ReadEventDetails on {} refused: {}", id.getNodeId(), e.getMessage());
            return failure(e.status());
        }
        boolean descending = start == null || (end != null && start.isAfter(end));
        Instant from = start != null ? start : end;
        Instant to = start == null ? EARLIEST : end != null ? end : LATEST;
        int pageSize = perNode == 0 ? MAX_PER_RESPONSE : (int) Math.min(perNode, MAX_PER_RESPONSE);

        // The continuation point carries how many recorded events earlier responses looked at.
        long digest = digest("events", id.getNodeId(), d.getStartTime(), d.getEndTime(), false,
                31L * java.util.Arrays.hashCode(select) + Objects.hashCode(filter.getWhereClause()));
        long scanned = offset(id.getContinuationPoint(), digest);
        if (scanned < 0) {
            return failure(StatusCodes.Bad_ContinuationPointInvalid);
        }
        long scanLimit = scanned + MAX_SCANNED_PER_RESPONSE;
        List<HistoryEventFieldList> events = new ArrayList<>();
        boolean more = false;
        boolean endOfData = false;
        while (!endOfData && !more) {
            List<EventRecord> rows = store.readEvents(target.wellId(), from, to, descending, (int) scanned, SCAN_CHUNK);
            endOfData = rows.size() < SCAN_CHUNK;
            for (int i = 0; i < rows.size(); i++) {
                if (events.size() == pageSize || scanned >= scanLimit) {
                    more = true; // recorded events remain unread
                    break;
                }
                scanned++;
                RecordedEvent event = new RecordedEvent(rows.get(i), target);
                if (where.matches(event)) {
                    Variant[] fields = new Variant[select.length];
                    for (int f = 0; f < select.length; f++) {
                        fields[f] = event.variant(select[f]);
                    }
                    events.add(new HistoryEventFieldList(fields));
                }
            }
            if (!endOfData && (events.size() == pageSize || scanned >= scanLimit)) {
                more = true;
            }
        }
        ByteString cp = more ? continuation(scanned, digest) : ByteString.NULL_VALUE;
        return new HistoryReadResult(StatusCode.GOOD, cp,
                encode(new HistoryEvent(events.toArray(HistoryEventFieldList[]::new))));
    }

    /** A recorded event with the type and fields a live one of its kind has. */
    private final class RecordedEvent implements HistoryEventFilter.Event {
        private final EventRecord record;
        private final Target target;

        RecordedEvent(EventRecord record, Target target) {
            this.record = record;
            this.target = target;
        }

        @Override
        public NodeId eventType() {
            return EventRecord.MODEL_RETRAINED.equals(record.eventType()) ? server.modelRetrainedEventType()
                    : EventRecord.ANOMALY_ALARM.equals(record.eventType()) ? NodeIds.OffNormalAlarmType
                    : NodeIds.BaseEventType;
        }

        @Override
        public Object field(SimpleAttributeOperand operand) {
            return variant(operand).value();
        }

        /** Null for a field of a type this event is not (as Part 4 says for select clauses). */
        Variant variant(SimpleAttributeOperand operand) {
            NodeId type = operand.getTypeDefinitionId();
            if (type != null && type.isNotNull() && !NodeIds.BaseEventType.equals(type)) {
                NodeId own = eventType();
                if (!own.equals(type) && !server.isSubtypeOf(own, type)) {
                    return Variant.NULL_VALUE;
                }
            }
            return WellHistory.this.field(record, operand, target, eventType());
        }
    }

    /** The value of one select clause for a recorded event (BaseEventType fields and ModelRetrainedEventType's). */
    private Variant field(EventRecord e, SimpleAttributeOperand operand, Target target, NodeId eventType) {
        QualifiedName[] path = operand.getBrowsePath();
        boolean alarm = EventRecord.ANOMALY_ALARM.equals(e.eventType());
        if (path == null || path.length == 0) {
            // ConditionId: the condition node, asked for as the NodeId attribute of the event itself
            return alarm && AttributeId.NodeId.uid().equals(operand.getAttributeId())
                    ? Variant.ofNodeId(new NodeId(target.wellNode().getNamespaceIndex(),
                            WellWatchModel.anomalyAlarmId(target.wellId())))
                    : Variant.NULL_VALUE;
        }
        if (path.length != 1) {
            return Variant.NULL_VALUE;
        }
        DateTime time = new DateTime(e.time());
        boolean retrained = EventRecord.MODEL_RETRAINED.equals(e.eventType());
        return switch (path[0].name()) {
            case "EventId" -> Variant.ofByteString(eventId(e));
            case "EventType" -> Variant.ofNodeId(eventType);
            case "ConditionName" -> alarm ? Variant.ofString(WellWatchModel.ANOMALY_ALARM) : Variant.NULL_VALUE;
            case "SourceNode" -> Variant.ofNodeId(target.wellNode());
            case "SourceName" -> Variant.ofString(e.wellId());
            case "Time", "ReceiveTime" -> Variant.ofDateTime(time);
            case "Message" -> Variant.ofLocalizedText(LocalizedText.english(retrained
                    ? ModelRetrainedEvents.message(new ModelTrained(e.wellId(), e.valveState(), orZero(e.modelVersion()),
                    orNaN(e.tolerance()), orNaN(e.trainingLoss()), orZero(e.sampleCount()), e.time()))
                    : e.message()));
            case "Severity" -> Variant.ofUInt16(ushort(e.severity()));
            case WellWatchModel.FIELD_WELL_ID -> Variant.ofString(e.wellId());
            case WellWatchModel.FIELD_VALVE_STATE -> e.valveState() == null ? Variant.NULL_VALUE : Variant.ofString(e.valveState());
            case WellWatchModel.FIELD_MODEL_VERSION -> e.modelVersion() == null ? Variant.NULL_VALUE : Variant.ofUInt32(uint(e.modelVersion()));
            case WellWatchModel.FIELD_TOLERANCE -> e.tolerance() == null ? Variant.NULL_VALUE : Variant.ofDouble(e.tolerance());
            case WellWatchModel.FIELD_TRAINING_LOSS -> e.trainingLoss() == null ? Variant.NULL_VALUE : Variant.ofDouble(e.trainingLoss());
            case WellWatchModel.FIELD_SAMPLE_COUNT -> e.sampleCount() == null ? Variant.NULL_VALUE : Variant.ofUInt32(uint(e.sampleCount()));
            default -> Variant.NULL_VALUE;
        };
    }

    /** Stable across reads: derived from the well, time, type and version. */
    private static ByteString eventId(EventRecord e) {
        String key = e.wellId() + '|' + e.time().toEpochMilli() + '|' + e.eventType() + '|' + e.modelVersion();
        return ByteString.of(java.util.UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString()
                .getBytes(StandardCharsets.US_ASCII));
    }

    // ---- Helpers -----------------------------------------------------------------------------------

    private DataValue dataValue(ValueRecord v, Target target, TimestampsToReturn timestamps) {
        return value(variant(v.value(), target.variable()), new StatusCode(v.status()), new DateTime(v.sourceTime()),
                timestamps);
    }

    private static DataValue boundNotFound(Instant t, TimestampsToReturn timestamps) {
        return value(Variant.NULL_VALUE, new StatusCode(StatusCodes.Bad_BoundNotFound), new DateTime(t), timestamps);
    }

    /** The store keeps the source time only; it stands in for the server time where one is asked for. */
    private static DataValue value(Variant v, StatusCode status, DateTime t, TimestampsToReturn timestamps) {
        return switch (timestamps) {
            case Source -> new DataValue(v, status, t, null);
            case Server -> new DataValue(v, status, null, t);
            default -> new DataValue(v, status, t, t);
        };
    }

    private static Variant variant(Double value, WellVariable variable) {
        if (value == null) {
            return Variant.NULL_VALUE;
        }
        return switch (variable.kind()) {
            case RISK_LEVEL_ENUM, DATA_STATE_ENUM -> Variant.ofInt32((int) Math.round(value));
            case UINT32 -> Variant.ofUInt32(uint(Math.round(value)));
            default -> Variant.ofDouble(value);
        };
    }

    private ExtensionObject encode(UaStructuredType value) {
        return ExtensionObject.encode(server.encoding(), value);
    }

    private static HistoryReadResult failure(long status) {
        return new HistoryReadResult(new StatusCode(status), ByteString.NULL_VALUE, null);
    }

    private static Instant instant(DateTime t) {
        return t == null || t.isNull() || t.getUtcTime() <= 0 ? null : t.getJavaInstant();
    }

    private static long digest(String kind, NodeId node, DateTime start, DateTime end, boolean bounds, long extra) {
        return Objects.hash(kind, node, start == null ? 0 : start.getUtcTime(), end == null ? 0 : end.getUtcTime(),
                bounds) * 31L + extra;
    }

    private static ByteString continuation(long offset, long digest) {
        return ByteString.of(ByteBuffer.allocate(20).putInt(CP_MAGIC).putLong(offset).putLong(digest).array());
    }

    /** 0 without a continuation point, the position it carries, or -1 if it is not ours or for other details. */
    private static long offset(ByteString cp, long digest) {
        if (cp == null || cp.isNull() || cp.length() == 0) {
            return 0;
        }
        byte[] b = cp.bytesOrEmpty();
        if (b.length != 20) {
            return -1;
        }
        ByteBuffer buf = ByteBuffer.wrap(b);
        if (buf.getInt() != CP_MAGIC) {
            return -1;
        }
        long offset = buf.getLong();
        return buf.getLong() == digest && offset >= 0 && offset <= Integer.MAX_VALUE ? offset : -1;
    }

    private static int orZero(Integer v) {
        return v == null ? 0 : v;
    }

    private static double orNaN(Double v) {
        return v == null ? Double.NaN : v;
    }
}
