package io.wellwatch.cli;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import io.wellwatch.core.RiskLevel;
import io.wellwatch.server.WellVariable;
import io.wellwatch.server.WellWatchModel;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.FilterOperator;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.ContentFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.ContentFilterElement;
import org.eclipse.milo.opcua.stack.core.types.structured.EventFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryData;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryEvent;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryEventFieldList;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadDetails;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadResult;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.LiteralOperand;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadEventDetails;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadRawModifiedDetails;
import org.eclipse.milo.opcua.stack.core.types.structured.SimpleAttributeOperand;

/**
 * {@code wellwatch history}: reads a well's value or event history back from a running WellWatch
 * server with HistoryRead (as a historian would) and prints it as a table. Without {@code --from} it
 * shows the newest entries up to {@code --to}; with it, the oldest from there on.
 */
final class HistoryReadCommand {

    /** The options that take a value ({@code --events} takes none). */
    private static final java.util.Set<String> OPTIONS_WITH_VALUE = java.util.Set.of("--endpoint", "--well",
            "--variable", "--from", "--to", "--max", "--min-severity", "--security", "--mode", "--user", "--pki");

    static final String USAGE =
            "wellwatch history --endpoint URL --well ID (--variable RiskLevel|Loss|Tolerance | --events [--min-severity N])\n"
            + "                  [--from T] [--to T] [--max N] [--security POLICY [--mode MODE]] [--user NAME] [--pki DIR]";
    static final String HELP = USAGE + """

            Reads history back from a running WellWatch server.
              --variable NAME   raw values of a historizing variable: RiskLevel, Loss or Tolerance
              --events          the well's events (AnomalyAlarm changes, model retrainings), oldest first
              --min-severity N  events with Severity >= N only (e.g. 700: Medium and High alarms)
              --from T, --to T  source-time range: ISO-8601 (2013-11-04T02:00:00Z; without a zone: UTC)
                                or a duration back from now (90s, 30m, 2h); default: the newest entries up to now
              --max N           most rows to print, default 50
            Source times are the PLC samples' times (in the demo: the replayed 3W recording's).
            Logging in (default: SecurityPolicy None, anonymous, as the demo allows):
              --security POLICY Basic256Sha256, Aes128_Sha256_RsaOaep or Aes256_Sha256_RsaPss
              --mode MODE       Sign or SignAndEncrypt (default)
              --user NAME       a WellWatch user; the password is taken from the environment variable
                                WELLWATCH_PASSWORD, else asked at the terminal
              --pki DIR         this client's own certificate and trust lists (default certs/history-client,
                                created on first use); the first secured run tells which certificate to
                                trust where""";

    private static final int PAGE = 1_000;
    /** Filtered event reads may return short pages; this bounds the loop all the same. */
    private static final int MAX_PAGES = 10_000;

    /** A parsed command line. */
    record Request(String endpoint, String well, WellVariable variable, boolean events, Instant from, Instant to,
                   int max, Integer minSeverity, ClientLogin login) {
    }

    private final PrintStream out;
    private final Supplier<String> password;

    /** @param password asked for when {@code --user} is given */
    HistoryReadCommand(PrintStream out, Supplier<String> password) {
        this.out = out;
        this.password = password;
    }

    /** Parses {@code args} (after the command name). @throws IllegalArgumentException with a message for the user */
    static Request parse(List<String> args, Instant now) {
        String endpoint = null;
        String well = null;
        WellVariable variable = null;
        boolean events = false;
        Instant from = null;
        Instant to = null;
        int max = 50;
        Integer minSeverity = null;
        String policy = null;
        String mode = null;
        String user = null;
        String pki = null;
        for (int i = 0; i < args.size(); i++) {
            String name = args.get(i);
            if (name.equals("--events")) {
                events = true;
                continue;
            }
            if (!OPTIONS_WITH_VALUE.contains(name)) {
                throw new IllegalArgumentException("unknown option '" + name + "' for history");
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException("option " + name + " needs a value");
            }
            String value = args.get(++i);
            switch (name) {
                case "--endpoint" -> endpoint = value;
                case "--well" -> well = value;
                case "--variable" -> variable = Arrays.stream(WellVariable.values())
                        .filter(v -> v.historizing() && v.browseName().equalsIgnoreCase(value)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("--variable must be one of the historizing "
                                + "variables RiskLevel, Loss, Tolerance; got '" + value + "'"));
                case "--from" -> from = time(name, value, now);
                case "--to" -> to = time(name, value, now);
                case "--max" -> max = whole(name, value, 1, 100_000);
                case "--min-severity" -> minSeverity = whole(name, value, 1, 1000);
                case "--security" -> policy = value;
                case "--mode" -> mode = value;
                case "--user" -> user = value;
                case "--pki" -> pki = value;
                default -> throw new IllegalStateException("option " + name + " listed but not handled");
            }
        }
        if (endpoint == null || well == null) {
            throw new IllegalArgumentException("history needs --endpoint URL and --well ID");
        }
        if (events && variable != null) {
            throw new IllegalArgumentException("--variable and --events exclude each other: give one of them");
        }
        if (!events && variable == null) {
            throw new IllegalArgumentException("history needs either --variable NAME or --events");
        }
        if (minSeverity != null && !events) {
            throw new IllegalArgumentException("--min-severity goes with --events");
        }
        if (!endpoint.startsWith("opc.tcp://")) {
            throw new IllegalArgumentException("--endpoint must be an OPC UA endpoint URL such as"
                    + " opc.tcp://127.0.0.1:4840/wellwatch, got '" + endpoint + "'");
        }
        Instant end = to != null ? to : now;
        if (from != null && !from.isBefore(end)) {
            throw new IllegalArgumentException("--from must be before --to" + (to == null ? " (default now, " + now + ")" : ""));
        }
        return new Request(endpoint, well, variable, events, from, to, max, minSeverity,
                ClientLogin.of(policy, mode, user, pki));
    }

    private static Instant time(String name, String value, Instant now) {
        try {
            if (Character.isDigit(value.charAt(0)) && value.contains("-")) {
                return value.endsWith("Z") || value.matches(".*[+-]\\d\\d:\\d\\d$")
                        ? java.time.OffsetDateTime.parse(value).toInstant()
                        : LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
            }
            Duration ago = Main.Options.duration(name, value);
            return now.minus(ago);
        } catch (DateTimeParseException | IllegalArgumentException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(name + " expects an ISO-8601 time such as 2013-11-04T02:00:00Z or a "
                    + "duration back from now such as 30m, got '" + value + "'");
        }
    }

    private static int whole(String name, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number in " + min + ".." + max + ", got '" + value + "'");
        }
    }

    /** Connects, reads, prints; 0 on success, 1 if the server refused the read. */
    int run(Request r) throws UaException {
        try (ClientLogin.Session session = r.login().connect(r.endpoint(), password)) {
            OpcUaClient client = session.client();
            int ns = client.getNamespaceTable().getIndex(WellWatchModel.NAMESPACE_URI) == null ? -1
                    : client.getNamespaceTable().getIndex(WellWatchModel.NAMESPACE_URI).intValue();
            if (ns < 0) {
                throw new IllegalStateException(r.endpoint() + " is not a WellWatch server (no namespace "
                        + WellWatchModel.NAMESPACE_URI + ")");
            }
            WellLookup.require(client, ns, r.well(), r.endpoint());
            return r.events() ? printEvents(client, r, ns) : printValues(client, r, ns);
        }
    }

    // ---- values ------------------------------------------------------------------------------

    private int printValues(OpcUaClient client, Request r, int ns) throws UaException {
        NodeId node = new NodeId(ns, WellWatchModel.wellVariableId(r.well(), r.variable()));
        Instant to = r.to() == null ? Instant.now() : r.to();
        // Without --from: newest first from --to (the server's reverse order), shown oldest first.
        DateTime start = r.from() == null ? DateTime.NULL_VALUE : new DateTime(r.from());
        List<DataValue> values = new ArrayList<>();
        Page page = readPages(client, node, r.max(), perPage -> new ReadRawModifiedDetails(false, start,
                new DateTime(to), uint(perPage), false),
                result -> {
                    DataValue[] dv = ((HistoryData) result.getHistoryData().decode(client.getStaticEncodingContext()))
                            .getDataValues();
                    values.addAll(dv == null ? List.of() : List.of(dv));
                    return values.size();
                });
        if (page.refused != null) {
            return refused(page.refused);
        }
        if (r.from() == null) {
            Collections.reverse(values);
        }
        out.printf(Locale.ROOT, "%s %s from %s: %d value(s)%s%n", r.well(), r.variable().browseName(), r.endpoint(),
                values.size(), range(r, to));
        out.printf(Locale.ROOT, "%-26s %-20s %s%n", "SourceTimestamp (UTC)", "Value", "Status");
        for (DataValue v : values) {
            out.printf(Locale.ROOT, "%-26s %-20s %s%n", time(v.sourceTime()), value(v.value(), r.variable()),
                    status(v.statusCode()));
        }
        if (page.more) {
            out.println(r.from() == null ? "(older values exist: give --from, or a larger --max)"
                    : "(more values follow: give a later --from, or a larger --max)");
        }
        return 0;
    }

    private static String value(Variant v, WellVariable variable) {
        Object o = v == null ? null : v.value();
        if (o == null) {
            return "-";
        }
        if (variable == WellVariable.RISK_LEVEL && o instanceof Number n && n.intValue() >= 0
                && n.intValue() < RiskLevel.values().length) {
            String name = RiskLevel.values()[n.intValue()].name();
            return n.intValue() + " " + name.charAt(0) + name.substring(1).toLowerCase(Locale.ROOT);
        }
        if (o instanceof Double d) {
            return String.format(Locale.ROOT, "%.6f", d);
        }
        return String.valueOf(o);
    }

    // ---- events ------------------------------------------------------------------------------

    private int printEvents(OpcUaClient client, Request r, int ns) throws UaException {
        NodeId well = new NodeId(ns, WellWatchModel.wellId(r.well()));
        NodeId retrainedType = new NodeId(ns, WellWatchModel.typeId(WellWatchModel.MODEL_RETRAINED_EVENT_TYPE));
        SimpleAttributeOperand[] select = {
            field("Time"), field("EventType"), field("Severity"), field("Message"),
        };
        ContentFilter where = r.minSeverity() == null ? new ContentFilter(null) : new ContentFilter(
                new ContentFilterElement[] {new ContentFilterElement(FilterOperator.GreaterThanOrEqual,
                        new ExtensionObject[] {
                            ExtensionObject.encode(client.getStaticEncodingContext(), field("Severity")),
                            ExtensionObject.encode(client.getStaticEncodingContext(),
                                    new LiteralOperand(Variant.ofUInt16(ushort(r.minSeverity()))))})});
        Instant to = r.to() == null ? Instant.now() : r.to();
        DateTime start = r.from() == null ? DateTime.NULL_VALUE : new DateTime(r.from());
        List<Variant[]> events = new ArrayList<>();
        Page page = readPages(client, well, r.max(), perPage -> new ReadEventDetails(uint(perPage), start,
                new DateTime(to), new EventFilter(select, where)),
                result -> {
                    HistoryEventFieldList[] e = ((HistoryEvent) result.getHistoryData()
                            .decode(client.getStaticEncodingContext())).getEvents();
                    for (HistoryEventFieldList f : e == null ? new HistoryEventFieldList[0] : e) {
                        events.add(f.getEventFields());
                    }
                    return events.size();
                });
        if (page.refused != null) {
            return refused(page.refused);
        }
        if (r.from() == null) {
            Collections.reverse(events);
        }
        out.printf(Locale.ROOT, "%s events from %s: %d event(s)%s%s%n", r.well(), r.endpoint(), events.size(),
                r.minSeverity() == null ? "" : ", Severity >= " + r.minSeverity(), range(r, to));
        out.printf(Locale.ROOT, "%-26s %-15s %8s  %s%n", "Time (UTC)", "Type", "Severity", "Message");
        for (Variant[] f : events) {
            Object type = f[1].value();
            String typeName = NodeIds.OffNormalAlarmType.equals(type) ? "AnomalyAlarm"
                    : retrainedType.equals(type) ? "ModelRetrained" : String.valueOf(type);
            Object message = f[3].value();
            out.printf(Locale.ROOT, "%-26s %-15s %8s  %s%n", f[0].value() instanceof DateTime t ? time(t) : "-",
                    typeName, f[2].value() == null ? "-" : f[2].value(),
                    message instanceof LocalizedText lt ? lt.text() : String.valueOf(message));
        }
        if (page.more) {
            out.println(r.from() == null ? "(older events exist: give --from, or a larger --max)"
                    : "(more events follow: give a later --from, or a larger --max)");
        }
        return 0;
    }

    private static SimpleAttributeOperand field(String name) {
        return new SimpleAttributeOperand(NodeIds.BaseEventType, new QualifiedName[] {new QualifiedName(0, name)},
                AttributeId.Value.uid(), null);
    }

    // ---- paging ------------------------------------------------------------------------------

    /** How a paged read ended: refused with a status, or with more entries than --max left on the server. */
    private record Page(StatusCode refused, boolean more) {
    }

    private interface DetailsForPage {
        HistoryReadDetails details(int perPage);
    }

    private interface PageSink {
        /** Takes one good result; returns the number of entries collected so far. */
        int accept(HistoryReadResult result);
    }

    /** Follows continuation points until {@code max} entries are in, then releases the point it holds. */
    private static Page readPages(OpcUaClient client, NodeId node, int max, DetailsForPage details, PageSink sink)
            throws UaException {
        // Every page of one read must carry the same details, so the page size is fixed up front.
        HistoryReadDetails d = details.details(Math.min(max, PAGE));
        ByteString cp = null;
        int collected = 0;
        for (int pages = 0; pages < MAX_PAGES; pages++) {
            HistoryReadResult result = client.historyRead(d, TimestampsToReturn.Source, false,
                    List.of(new HistoryReadValueId(node, null, QualifiedName.NULL_VALUE, cp))).getResults()[0];
            if (result.getStatusCode().isBad()) {
                return new Page(result.getStatusCode(), false);
            }
            collected = sink.accept(result);
            cp = result.getContinuationPoint();
            if (cp == null || cp.isNull()) {
                return new Page(null, false);
            }
            if (collected >= max) {
                client.historyRead(d, TimestampsToReturn.Source, true,
                        List.of(new HistoryReadValueId(node, null, QualifiedName.NULL_VALUE, cp)));
                return new Page(null, true);
            }
        }
        return new Page(null, true);
    }

    // ---- formatting --------------------------------------------------------------------------

    private static int refused(StatusCode status) {
        // The well exists (WellLookup checked), so an unsupported read means the server keeps no history.
        String hint = status.value() == StatusCodes.Bad_HistoryOperationUnsupported
                ? " (is history enabled on the server?)" : "";
        System.err.println("wellwatch: the server refused the history read: " + status(status) + hint);
        return 1;
    }

    private static String range(Request r, Instant to) {
        Instant shown = to.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        return r.from() == null ? ", newest up to " + shown : ", " + r.from() + " to " + shown;
    }

    private static String time(DateTime t) {
        return t == null || t.isNull() ? "-" : t.getJavaInstant().toString();
    }

    private static String status(StatusCode s) {
        return s == null ? "Good" : StatusCodes.lookup(s.value()).map(n -> n[0])
                .orElse(String.format(Locale.ROOT, "0x%08X", s.value()));
    }
}
