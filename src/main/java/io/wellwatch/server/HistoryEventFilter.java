package io.wellwatch.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiPredicate;

import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.encoding.EncodingContext;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.FilterOperator;
import org.eclipse.milo.opcua.stack.core.types.structured.ContentFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.ContentFilterElement;
import org.eclipse.milo.opcua.stack.core.types.structured.ElementOperand;
import org.eclipse.milo.opcua.stack.core.types.structured.LiteralOperand;
import org.eclipse.milo.opcua.stack.core.types.structured.SimpleAttributeOperand;

/**
 * The where clause of a ReadEventDetails filter (OPC UA Part 4, 7.7), checked once per request and
 * evaluated on each recorded event.
 *
 * <p>Why not Milo's {@code EventContentFilter}: in Milo 1.1.2 it evaluates against event nodes that
 * live in the address space (recorded events are rows, not nodes) and leaves And, Or, InList and
 * Between unsupported, which HMIs use for alarm history.
 *
 * <p>Operators: Equals, IsNull, GreaterThan, LessThan, GreaterThanOrEqual, LessThanOrEqual, Between,
 * InList, Not, And, Or, OfType. Operands: literals, SimpleAttributeOperands (event fields) and
 * ElementOperands that point to a later element (so evaluation always ends). Logic is three-valued
 * as Part 4 says: a comparison with a missing field is null, And/Or/Not follow Kleene's rules, and
 * only a true result selects the event. Values compare across numeric types; other values of
 * different kinds compare as not equal.
 */
final class HistoryEventFilter {

    /** A recorded event as the filter sees it. */
    interface Event {
        NodeId eventType();

        /** The value of an event field (a SimpleAttributeOperand), null when the event has none. */
        Object field(SimpleAttributeOperand operand);
    }

    /** A where clause that cannot be evaluated, with the StatusCode of the HistoryRead result. */
    static final class InvalidFilterException extends Exception {
        private final long status;

        InvalidFilterException(long status, String message) {
            super(message);
            this.status = status;
        }

        long status() {
            return status;
        }
    }

    /** Selects every event: an empty where clause. */
    static final HistoryEventFilter ALL = new HistoryEventFilter(List.of(), (a, b) -> false);

    private sealed interface Operand permits Literal, Field, Element {
    }

    private record Literal(Object value) implements Operand {
    }

    private record Field(SimpleAttributeOperand operand) implements Operand {
    }

    private record Element(int index) implements Operand {
    }

    private record Clause(FilterOperator operator, List<Operand> operands) {
    }

    private final List<Clause> clauses;
    private final BiPredicate<NodeId, NodeId> isSubtypeOf;

    private HistoryEventFilter(List<Clause> clauses, BiPredicate<NodeId, NodeId> isSubtypeOf) {
        this.clauses = clauses;
        this.isSubtypeOf = isSubtypeOf;
    }

    /**
     * Checks a where clause.
     *
     * @param isSubtypeOf (type, superType): whether {@code type} is a subtype of {@code superType}
     * @throws InvalidFilterException with Bad_FilterOperatorInvalid, Bad_FilterOperatorUnsupported,
     *                                Bad_FilterOperandCountMismatch or Bad_FilterOperandInvalid, naming the element
     */
    static HistoryEventFilter of(ContentFilter where, EncodingContext encoding, NamespaceTable namespaces,
                                 BiPredicate<NodeId, NodeId> isSubtypeOf) throws InvalidFilterException {
        ContentFilterElement[] elements = where == null ? null : where.getElements();
        if (elements == null || elements.length == 0) {
            return ALL;
        }
        List<Clause> clauses = new ArrayList<>(elements.length);
        for (int i = 0; i < elements.length; i++) {
            clauses.add(clause(i, elements[i], elements.length, encoding, namespaces));
        }
        return new HistoryEventFilter(List.copyOf(clauses), isSubtypeOf);
    }

    private static Clause clause(int index, ContentFilterElement element, int count, EncodingContext encoding,
                                 NamespaceTable namespaces) throws InvalidFilterException {
        if (element == null || element.getFilterOperator() == null) {
            throw invalid(StatusCodes.Bad_FilterOperatorInvalid, index, "no operator");
        }
        FilterOperator operator = element.getFilterOperator();
        int[] arity = switch (operator) {
            case IsNull, Not, OfType -> new int[] {1, 1};
            case Equals, GreaterThan, LessThan, GreaterThanOrEqual, LessThanOrEqual, And, Or -> new int[] {2, 2};
            case Between -> new int[] {3, 3};
            case InList -> new int[] {2, Integer.MAX_VALUE};
            default -> throw invalid(StatusCodes.Bad_FilterOperatorUnsupported, index, operator + " is not supported");
        };
        ExtensionObject[] encoded = element.getFilterOperands();
        int n = encoded == null ? 0 : encoded.length;
        if (n < arity[0] || n > arity[1]) {
            throw invalid(StatusCodes.Bad_FilterOperandCountMismatch, index, operator + " with " + n + " operands");
        }
        List<Operand> operands = new ArrayList<>(n);
        for (ExtensionObject xo : encoded) {
            operands.add(operand(index, xo, count, encoding, namespaces));
        }
        if (operator == FilterOperator.OfType
                && !(operands.get(0) instanceof Literal l && l.value() instanceof NodeId)) {
            throw invalid(StatusCodes.Bad_FilterOperandInvalid, index, "OfType needs a NodeId literal");
        }
        return new Clause(operator, List.copyOf(operands));
    }

    private static Operand operand(int index, ExtensionObject xo, int count, EncodingContext encoding,
                                   NamespaceTable namespaces) throws InvalidFilterException {
        Object decoded;
        try {
            decoded = xo == null ? null : xo.decode(encoding);
        } catch (RuntimeException e) {
            decoded = null;
        }
        if (decoded instanceof LiteralOperand literal) {
            Object value = literal.getValue() == null ? null : literal.getValue().value();
            return new Literal(value instanceof ExpandedNodeId x ? x.toNodeId(namespaces).orElse(null) : value);
        }
        if (decoded instanceof SimpleAttributeOperand field) {
            return new Field(field);
        }
        if (decoded instanceof ElementOperand element) {
            long target = element.getIndex() == null ? -1 : element.getIndex().longValue();
            if (target <= index || target >= count) {
                throw invalid(StatusCodes.Bad_FilterOperandInvalid, index,
                        "ElementOperand " + target + " must point to a later element (Part 4, 7.7.4.2)");
            }
            return new Element((int) target);
        }
        // AttributeOperand is for the Query services, not for event filters.
        throw invalid(StatusCodes.Bad_FilterOperandInvalid, index, "operand " + (decoded == null ? "not decodable"
                : decoded.getClass().getSimpleName() + " not allowed in an event filter"));
    }

    private static InvalidFilterException invalid(long status, int index, String why) {
        return new InvalidFilterException(status, "where clause element " + index + ": " + why);
    }

    /** True if the where clause selects the event (an empty clause selects all). */
    boolean matches(Event event) {
        return clauses.isEmpty() || Boolean.TRUE.equals(evaluate(0, event));
    }

    /** The element's result: Boolean, a value (for operands), or null (unknown). */
    private Object evaluate(int index, Event event) {
        Clause c = clauses.get(index);
        List<Operand> ops = c.operands();
        return switch (c.operator()) {
            case OfType -> {
                NodeId wanted = (NodeId) ((Literal) ops.get(0)).value();
                NodeId type = event.eventType();
                yield type != null && (type.equals(wanted) || isSubtypeOf.test(type, wanted));
            }
            case IsNull -> value(ops.get(0), event) == null;
            case Not -> {
                Object v = value(ops.get(0), event);
                yield v instanceof Boolean b ? !b : null;
            }
            case And -> {
                Boolean a = bool(value(ops.get(0), event));
                if (Boolean.FALSE.equals(a)) {
                    yield false;
                }
                Boolean b = bool(value(ops.get(1), event));
                yield Boolean.FALSE.equals(b) ? Boolean.FALSE : a == null || b == null ? null : Boolean.TRUE;
            }
            case Or -> {
                Boolean a = bool(value(ops.get(0), event));
                if (Boolean.TRUE.equals(a)) {
                    yield true;
                }
                Boolean b = bool(value(ops.get(1), event));
                yield Boolean.TRUE.equals(b) ? Boolean.TRUE : a == null || b == null ? null : Boolean.FALSE;
            }
            case Equals -> compare(value(ops.get(0), event), value(ops.get(1), event), Cmp.EQ);
            case GreaterThan -> compare(value(ops.get(0), event), value(ops.get(1), event), Cmp.GT);
            case LessThan -> compare(value(ops.get(0), event), value(ops.get(1), event), Cmp.LT);
            case GreaterThanOrEqual -> compare(value(ops.get(0), event), value(ops.get(1), event), Cmp.GE);
            case LessThanOrEqual -> compare(value(ops.get(0), event), value(ops.get(1), event), Cmp.LE);
            case Between -> {
                Object v = value(ops.get(0), event);
                Boolean low = compare(v, value(ops.get(1), event), Cmp.GE);
                Boolean high = compare(v, value(ops.get(2), event), Cmp.LE);
                yield low == null || high == null ? null : low && high;
            }
            case InList -> {
                Object v = value(ops.get(0), event);
                if (v == null) {
                    yield null;
                }
                boolean found = false;
                for (int i = 1; i < ops.size() && !found; i++) {
                    found = Boolean.TRUE.equals(compare(v, value(ops.get(i), event), Cmp.EQ));
                }
                yield found;
            }
            default -> null; // refused by of(...)
        };
    }

    private Object value(Operand operand, Event event) {
        if (operand instanceof Literal l) {
            return l.value();
        }
        if (operand instanceof Field f) {
            return event.field(f.operand());
        }
        return evaluate(((Element) operand).index(), event);
    }

    private static Boolean bool(Object v) {
        return v instanceof Boolean b ? b : null;
    }

    private enum Cmp { EQ, GT, LT, GE, LE }

    /** Null if either side is null; false if the two cannot be compared (Part 4: no implicit conversion). */
    private static Boolean compare(Object a, Object b, Cmp cmp) {
        a = comparable(a);
        b = comparable(b);
        if (a == null || b == null) {
            return null;
        }
        int order;
        if (a instanceof Number x && b instanceof Number y) {
            order = Double.compare(x.doubleValue(), y.doubleValue());
        } else if (a instanceof String x && b instanceof String y) {
            order = x.compareTo(y);
        } else if (a instanceof Boolean x && b instanceof Boolean y) {
            order = Boolean.compare(x, y);
        } else if (a instanceof DateTime x && b instanceof DateTime y) {
            order = Long.compare(x.getUtcTime(), y.getUtcTime());
        } else if (cmp == Cmp.EQ && (a instanceof NodeId || a instanceof ByteString || a instanceof StatusCode)) {
            return Objects.equals(a, b);
        } else {
            return false;
        }
        return switch (cmp) {
            case EQ -> order == 0;
            case GT -> order > 0;
            case LT -> order < 0;
            case GE -> order >= 0;
            case LE -> order <= 0;
        };
    }

    /** Texts compare by their text, names by their name. */
    private static Object comparable(Object v) {
        if (v instanceof LocalizedText t) {
            return t.text();
        }
        if (v instanceof QualifiedName q) {
            return q.name();
        }
        return v;
    }
}
