package io.wellwatch.sim;

import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The misbehaving PLC of {@code faults: garbage}: every {@value #EVERY}th row, one sensor tag gets
 * one {@link Kind} of bad input instead of its value (every kind in turn on the first tag, then on
 * the next tag, and so on, round and round); the other rows are
 * replayed as recorded, so the well is still learnable between the faults. Not thread-safe: used
 * under the replay's lock.
 */
final class GarbageInjector {

    /** What a misbehaving PLC sends. */
    enum Kind {
        NAN, POSITIVE_INFINITY, NEGATIVE_INFINITY, STRING, ARRAY, GOOD_NULL, HUGE_VALUE,
        OUT_OF_ORDER_TIMESTAMP, DUPLICATE_TIMESTAMP, FUTURE_TIMESTAMP, BURST, FROZEN
    }

    static final int EVERY = 5;
    /** Updates of one tag in a burst. */
    static final int BURST_UPDATES = 200;
    /** Rows a frozen episode lasts: the tag repeats one value with fresh timestamps. */
    static final int FROZEN_ROWS = 60;

    private final long[] injected = new long[Kind.values().length];
    private long rows;
    private int nextKind;
    private int nextTag;
    private int frozenTag = -1;
    private int frozenRowsLeft;
    private DataValue frozenValue;
    /** A duplicate timestamp is sent on the row after the original, so that the client has seen the original. */
    private int duplicateTag = -1;
    private DateTime duplicateSource;

    /**
     * Publishes one row's sensor values ({@code values[i]} to {@code nodes[i]}), misbehaving on one
     * of them every {@value #EVERY}th row.
     */
    void publish(List<UaVariableNode> nodes, List<DataValue> values, DateTime source) {
        rows++;
        int faultTag = -1;
        Kind kind = null;
        if (rows % EVERY == 0 && !values.isEmpty()) {
            // every kind in turn on one tag, then on the next tag
            kind = Kind.values()[nextKind];
            faultTag = nextTag;
            nextKind = (nextKind + 1) % Kind.values().length;
            if (nextKind == 0) {
                nextTag = (nextTag + 1) % values.size();
            }
            if (kind == Kind.FROZEN && frozenRowsLeft > 0 || faultTag == frozenTag) {
                kind = Kind.NAN; // one frozen episode at a time, and not on the frozen tag
            }
            injected[kind.ordinal()]++;
        }
        int duplicate = duplicateTag;
        duplicateTag = -1;
        DateTime now = DateTime.now();
        for (int i = 0; i < values.size(); i++) {
            DataValue v = values.get(i);
            UaVariableNode node = nodes.get(i);
            if (i == frozenTag && frozenRowsLeft > 0) {
                node.setValue(new DataValue(frozenValue.getValue(), StatusCode.GOOD, source, now));
            } else if (i == duplicate) {
                node.setValue(new DataValue(Variant.ofDouble(-12345.0), StatusCode.GOOD, duplicateSource, now));
            } else if (i == faultTag) {
                misbehave(kind, i, node, v, source, now);
            } else {
                node.setValue(v);
            }
        }
        if (frozenRowsLeft > 0 && --frozenRowsLeft == 0) {
            frozenTag = -1;
        }
    }

    private void misbehave(Kind kind, int tag, UaVariableNode node, DataValue v, DateTime source, DateTime now) {
        StatusCode good = StatusCode.GOOD;
        switch (kind) {
            case NAN -> node.setValue(new DataValue(Variant.ofDouble(Double.NaN), good, source, now));
            case POSITIVE_INFINITY -> node.setValue(new DataValue(Variant.ofDouble(Double.POSITIVE_INFINITY), good, source, now));
            case NEGATIVE_INFINITY -> node.setValue(new DataValue(Variant.ofDouble(Double.NEGATIVE_INFINITY), good, source, now));
            case STRING -> node.setValue(new DataValue(Variant.ofString("#VALUE!"), good, source, now));
            case ARRAY -> node.setValue(new DataValue(new Variant(new Double[]{1.0, 2.0, 3.0}), good, source, now));
            case GOOD_NULL -> node.setValue(new DataValue(Variant.NULL_VALUE, good, source, now));
            case HUGE_VALUE -> node.setValue(new DataValue(Variant.ofDouble(1e300), good, source, now));
            case OUT_OF_ORDER_TIMESTAMP -> node.setValue(new DataValue(v.getValue(), good, shift(source, Duration.ofHours(-1)), now));
            case DUPLICATE_TIMESTAMP -> {
                node.setValue(v);
                duplicateTag = tag;
                duplicateSource = source;
            }
            // ahead of the real clock (the replayed recording's own times lie in the past)
            case FUTURE_TIMESTAMP -> node.setValue(new DataValue(v.getValue(), good, shift(now, Duration.ofDays(1)), now));
            case BURST -> {
                // many updates within one row; a subscription with a queue of 1 passes on the last
                for (int k = BURST_UPDATES; k > 0; k--) {
                    node.setValue(new DataValue(v.getValue(), good, shift(source, Duration.ofNanos(-100L * k)), now));
                }
                node.setValue(v);
            }
            case FROZEN -> {
                frozenTag = tag;
                frozenRowsLeft = FROZEN_ROWS;
                frozenValue = v;
                node.setValue(v);
            }
        }
    }

    private static DateTime shift(DateTime t, Duration d) {
        Instant i = t.getJavaInstant().plus(d);
        return new DateTime(i);
    }

    /** How many times each kind was injected so far. */
    long injected(Kind kind) {
        return injected[kind.ordinal()];
    }
}
