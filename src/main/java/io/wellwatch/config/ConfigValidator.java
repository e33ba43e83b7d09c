package io.wellwatch.config;

import io.wellwatch.security.PasswordHash;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks what the YAML binding cannot: ranges, references, duplicates, NodeIds, files. */
final class ConfigValidator {

    /** Well ids become BrowseNames and file names: keep them to a safe alphabet. */
    private static final Pattern WELL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private static final long HOUR_MS = 3_600_000;
    private static final long DAY_MS = 24 * HOUR_MS;

    private final String source;
    private final Map<String, Integer> lines;
    private final Path baseDir;

    ConfigValidator(String source, Map<String, Integer> lines, Path baseDir) {
        this.source = source;
        this.lines = lines;
        this.baseDir = baseDir;
    }

    void validate(AppConfig c) throws ConfigException {
        ServerConfig s = c.server();
        check(s.port() > 0 && s.port() < 65536, "server.port", "must be 1..65535, got " + s.port());
        check(s.path().startsWith("/"), "server.path", "must start with '/', got '" + s.path() + "'");
        check(!s.bindAddress().isBlank(), "server.bindAddress", "must not be empty (default 127.0.0.1)");
        check(!s.hostname().isBlank() && !s.hostname().contains(" ") && !s.hostname().contains("/"), "server.hostname",
                "must be the host name or address clients use (default: bindAddress), got '" + s.hostname() + "'");
        check(!c.storage().modelDir().isBlank(), "storage.modelDir", "must not be empty");
        check(!c.wells().isEmpty(), "wells", "at least one well is required");
        validateHistory(c.history());
        validateSecurity(c.security());
        validateLimits(s.limits());
        MetricsConfig m = c.metrics();
        check(m.port() >= 0 && m.port() < 65536, "metrics.port", "must be 0 (off) or 1..65535, got " + m.port());
        check(!m.enabled() || m.port() != s.port(), "metrics.port", "must differ from server.port " + s.port());
        validateUpstream(c.upstream());
        Map<String, Integer> ids = new HashMap<>();
        for (int w = 0; w < c.wells().size(); w++) {
            WellConfig well = c.wells().get(w);
            String at = "wells[" + w + "]";
            check(WELL_ID.matcher(well.id()).matches(), at + ".id",
                    "'" + well.id() + "' is not a valid well id (letters, digits, '.', '_', '-'; up to 64)");
            Integer first = ids.putIfAbsent(well.id(), w);
            check(first == null, at + ".id", "duplicate well id '" + well.id() + "' (first at line "
                    + lineOf("wells[" + first + "].id") + ")");
            String endpointProblem = endpointProblem(well.endpoint());
            check(endpointProblem == null, at + ".endpoint", endpointProblem + ", got '" + well.endpoint() + "'");
            range(well.samplingPeriodMs(), 1, HOUR_MS, at + ".samplingPeriodMs", "at most an hour between samples");
            range(well.staleAfterMs(), 0, DAY_MS, at + ".staleAfterMs", "0 disables; at most a day");
            range(well.frozenAfterMs(), 0, 7 * DAY_MS, at + ".frozenAfterMs", "0 disables; at most 7 days");
            range(well.maxFutureMs(), 1, DAY_MS, at + ".maxFutureMs", "at most a day");
            check(!well.sensors().isEmpty(), at + ".sensors", "at least one sensor is required");
            Set<String> names = new HashSet<>();
            for (int i = 0; i < well.sensors().size(); i++) {
                SensorConfig sensor = well.sensors().get(i);
                String sat = at + ".sensors[" + i + "]";
                check(!sensor.name().isBlank(), sat + ".name", "must not be empty");
                check(names.add(sensor.name()), sat + ".name", "duplicate sensor name '" + sensor.name() + "'");
                checkNodeId(sensor.nodeId(), sat + ".nodeId");
                check(sensor.min() < sensor.max(), sat, "min (" + sensor.min() + ") must be below max (" + sensor.max() + ")");
                check(sensor.span() >= 0 && Double.isFinite(sensor.span()), sat + ".span", "must be a finite number >= 0");
            }
            Set<String> valves = new HashSet<>();
            for (int i = 0; i < well.valves().size(); i++) {
                ValveConfig valve = well.valves().get(i);
                String vat = at + ".valves[" + i + "]";
                check(valve.name().matches("[A-Za-z0-9_-]+"), vat + ".name",
                        "'" + valve.name() + "' is not a valid valve name (letters, digits, '_', '-')");
                check(valves.add(valve.name()), vat + ".name", "duplicate valve name '" + valve.name() + "'");
                checkNodeId(valve.nodeId(), vat + ".nodeId");
            }
            validateDetector(well.detector(), at + ".detector");
        }
        if (c.simulator() != null) {
            validateSimulator(c.simulator());
        }
    }

    /**
     * Why {@code url} is not an endpoint the upstream client can dial ({@code opc.tcp://host[:port][/path]}),
     * or null. Checked here because Milo's answer at connect time ("unsupported protocol: null") names no field.
     */
    static String endpointProblem(String url) {
        String prefix = "opc.tcp://";
        if (!url.startsWith(prefix)) {
            return "must be an opc.tcp:// URL";
        }
        String rest = url.substring(prefix.length());
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String host = authority;
        String port = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                return "has an IPv6 address without its closing ']'";
            }
            host = authority.substring(0, close + 1);
            String after = authority.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    return "has text after the IPv6 address";
                }
                port = after.substring(1);
            }
        } else if (authority.contains(":")) {
            host = authority.substring(0, authority.lastIndexOf(':'));
            port = authority.substring(authority.lastIndexOf(':') + 1);
        }
        if (host.isEmpty() || host.contains(" ") || host.contains("@") || host.contains(":") && !host.startsWith("[")) {
            return "needs a host name or address (opc.tcp://host:port/path)";
        }
        if (port != null && !(port.matches("[0-9]{1,5}") && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65535)) {
            return "port must be a number 1..65535 (opc.tcp://host:port/path)";
        }
        return null;
    }

    private void validateLimits(ServerLimits l) throws ConfigException {
        Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        counts.put("maxSessions", l.maxSessions());
        counts.put("maxSubscriptionsPerSession", l.maxSubscriptionsPerSession());
        counts.put("maxMonitoredItemsPerSession", l.maxMonitoredItemsPerSession());
        counts.put("maxNodesPerRead", l.maxNodesPerRead());
        counts.put("maxNodesPerBrowse", l.maxNodesPerBrowse());
        counts.put("maxNodesPerHistoryRead", l.maxNodesPerHistoryRead());
        counts.put("maxNodesPerMethodCall", l.maxNodesPerMethodCall());
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            check(e.getValue() >= 1, "server.limits." + e.getKey(), "must be >= 1, got " + e.getValue());
        }
        // Milo applies the same limit when it loads its own address space (arrays of ~200 kB)
        check(l.maxMessageSize() >= ServerLimits.MIN_MESSAGE_SIZE, "server.limits.maxMessageSize",
                "must be >= " + ServerLimits.MIN_MESSAGE_SIZE + " bytes, got " + l.maxMessageSize());
    }

    private void validateUpstream(UpstreamConfig u) throws ConfigException {
        check(u.keepAliveIntervalMs() >= 100 && u.keepAliveIntervalMs() <= 60_000, "upstream.keepAliveIntervalMs",
                "must be 100..60000, got " + u.keepAliveIntervalMs());
        check(u.keepAliveTimeoutMs() >= 100 && u.keepAliveTimeoutMs() <= 60_000, "upstream.keepAliveTimeoutMs",
                "must be 100..60000, got " + u.keepAliveTimeoutMs());
        check(u.keepAliveFailuresAllowed() >= 0 && u.keepAliveFailuresAllowed() <= 100, "upstream.keepAliveFailuresAllowed",
                "must be 0..100, got " + u.keepAliveFailuresAllowed());
    }

    /**
     * Upper bounds far above the defaults: beyond them a training runs out of memory or for hours in the
     * JVM that serves OPC UA, and fails again at every retry, instead of being refused at start.
     */
    private void validateDetector(DetectorConfig d, String at) throws ConfigException {
        range(d.windowSize(), 2, 20_000, at + ".windowSize", "every training holds and trains on the whole window");
        range(d.retrainInterval(), 1, 1_000_000, at + ".retrainInterval",
                "the model would practically never relearn; Retrain trains by hand");
        range(d.lookback(), 1, 1000, at + ".lookback", "training time and memory grow with it");
        range(d.lossWindow(), 1, 1000, at + ".lossWindow", "Loss would lag the process by as many samples");
        int fewest = d.lookback() + d.lossWindow() + 2;
        check(d.minTrainingSamples() >= fewest && d.minTrainingSamples() <= d.windowSize(), at + ".minTrainingSamples",
                "must be between lookback + lossWindow + 2 (" + fewest + ") and windowSize (" + d.windowSize()
                        + "), got " + d.minTrainingSamples());
        range(d.lstmUnits(), 1, 256, at + ".lstmUnits", "the network's memory grows with its square");
        range(d.epochs(), 1, 1000, at + ".epochs", "training time grows with it");
        range(d.batchSize(), 1, 4096, at + ".batchSize", "a minibatch is held in memory at once");
        check(d.learningRate() > 0 && d.learningRate() < 1, at + ".learningRate", "must be in (0, 1), got " + d.learningRate());
        check(d.toleranceQuantile() > 0 && d.toleranceQuantile() <= 1, at + ".toleranceQuantile",
                "must be in (0, 1], got " + d.toleranceQuantile());
        check(d.toleranceMargin() >= 1, at + ".toleranceMargin", "must be >= 1, got " + d.toleranceMargin());
        check(d.toleranceFloor() > 0, at + ".toleranceFloor", "must be > 0, got " + d.toleranceFloor());
        check(d.raiseSamples() >= 1, at + ".raiseSamples", "must be >= 1, got " + d.raiseSamples());
        check(d.clearSamples() >= 1, at + ".clearSamples", "must be >= 1, got " + d.clearSamples());
        check(d.relearnHoldoff() >= 0, at + ".relearnHoldoff", "must be >= 0, got " + d.relearnHoldoff());
        check(d.maxToleranceGrowth() >= 1, at + ".maxToleranceGrowth", "must be >= 1, got " + d.maxToleranceGrowth());
        check(DetectorConfig.TRAINER_JAVA.equals(d.trainer()) || DetectorConfig.TRAINER_DL4J.equals(d.trainer()),
                at + ".trainer", "must be '" + DetectorConfig.TRAINER_JAVA + "' or '" + DetectorConfig.TRAINER_DL4J
                        + "', got '" + d.trainer() + "'");
        RiskBands r = d.risk();
        check(r.low() > 0 && r.low() <= r.medium() && r.medium() <= r.high(), at + ".risk",
                "bands must satisfy 0 < low <= medium <= high, got low " + r.low() + ", medium " + r.medium() + ", high " + r.high());
        check(r.deadband() >= 0 && r.deadband() <= 0.5, at + ".risk.deadband",
                "must be 0..0.5 (a fraction of a band's lower edge), got " + r.deadband());
    }

    private void validateHistory(HistoryConfig h) throws ConfigException {
        check(h.jdbcUrl().startsWith("jdbc:"), "history.jdbcUrl",
                "must be a JDBC URL such as jdbc:sqlite:state/history.db, got '" + h.jdbcUrl() + "'");
        check(h.retentionDays() >= 1, "history.retentionDays", "must be >= 1, got " + h.retentionDays());
        range(h.queueCapacity(), 1, 1_000_000, "history.queueCapacity", "the queue is allocated at start");
        check(h.batchSize() >= 1 && h.batchSize() <= h.queueCapacity(), "history.batchSize",
                "must be between 1 and queueCapacity (" + h.queueCapacity() + "), got " + h.batchSize());
        check(h.flushIntervalMs() >= 1 && h.flushIntervalMs() <= 60_000, "history.flushIntervalMs",
                "must be 1..60000, got " + h.flushIntervalMs());
    }

    private static final List<String> SECURED_POLICIES = SecurityConfig.DEFAULT_POLICIES;

    private void validateSecurity(SecurityConfig s) throws ConfigException {
        check(!s.pkiDir().isBlank(), "security.pkiDir", "must not be empty");
        for (int i = 0; i < s.securityPolicies().size(); i++) {
            String p = s.securityPolicies().get(i);
            check(SECURED_POLICIES.contains(p), "security.securityPolicies[" + i + "]", "'" + p + "' is not offered; use "
                    + String.join(", ", SECURED_POLICIES) + " (None: allowSecurityPolicyNone: true)");
        }
        for (int i = 0; i < s.securityModes().size(); i++) {
            String m = s.securityModes().get(i);
            check(m.equals("Sign") || m.equals("SignAndEncrypt"), "security.securityModes[" + i + "]",
                    "must be Sign or SignAndEncrypt, got '" + m + "'");
        }
        boolean secured = !s.securityPolicies().isEmpty() && !s.securityModes().isEmpty();
        check(secured || s.allowSecurityPolicyNone(), "security.securityPolicies",
                "no endpoint left: give at least one policy and one mode");
        if (s.certificate() != null) {
            Path keyStore = Path.of(s.certificate().keyStore());
            check(Files.isReadable(keyStore), "security.certificate.keyStore", "cannot read file '"
                    + s.certificate().keyStore() + "' (resolved to " + keyStore.toAbsolutePath() + ")");
        }
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < s.users().size(); i++) {
            UserConfig u = s.users().get(i);
            String at = "security.users[" + i + "]";
            check(u.name() != null && !u.name().isBlank() && u.name().equals(u.name().strip()), at + ".name",
                    "must be a non-empty name without leading or trailing blanks");
            Integer first = names.putIfAbsent(u.name(), i);
            check(first == null, at + ".name", "duplicate user '" + u.name() + "' (first at line "
                    + lineOf("security.users[" + first + "].name") + ")");
            if (u.passwordHash() != null) {
                try {
                    PasswordHash hash = PasswordHash.parse(u.passwordHash());
                    check(hash.iterations() >= PasswordHash.MIN_ITERATIONS, at + ".passwordHash",
                            "only " + hash.iterations() + " iterations; make a new hash with 'wellwatch hash-password' (at least "
                                    + PasswordHash.MIN_ITERATIONS + ")");
                } catch (IllegalArgumentException e) {
                    check(false, at + ".passwordHash", e.getMessage());
                }
            }
        }
        UpstreamSecurityConfig up = s.upstream();
        check(up.securityPolicy().equals("None") || SECURED_POLICIES.contains(up.securityPolicy()),
                "security.upstream.securityPolicy", "must be None or one of " + String.join(", ", SECURED_POLICIES)
                        + ", got '" + up.securityPolicy() + "'");
        check(List.of("None", "Sign", "SignAndEncrypt").contains(up.securityMode()), "security.upstream.securityMode",
                "must be None, Sign or SignAndEncrypt, got '" + up.securityMode() + "'");
        check(up.secured() == !up.securityMode().equals("None"), "security.upstream.securityMode",
                "securityMode None goes with securityPolicy None only (got policy " + up.securityPolicy()
                        + ", mode " + up.securityMode() + ")");
        check((up.username() == null) == (up.password() == null), "security.upstream",
                "username and password go together (both or neither)");
        LockoutConfig lock = s.lockout();
        check(lock.afterFailures() >= 1 && lock.afterFailures() <= 1000, "security.lockout.afterFailures",
                "must be 1..1000, got " + lock.afterFailures());
        check(lock.firstSeconds() >= 1 && lock.firstSeconds() <= 86_400, "security.lockout.firstSeconds",
                "must be 1..86400, got " + lock.firstSeconds());
        check(lock.maxSeconds() >= lock.firstSeconds() && lock.maxSeconds() <= 86_400, "security.lockout.maxSeconds",
                "must be firstSeconds (" + lock.firstSeconds() + ")..86400, got " + lock.maxSeconds());
    }

    private void validateSimulator(SimulatorConfig sim) throws ConfigException {
        check(sim.port() > 0 && sim.port() < 65536, "simulator.port", "must be 1..65535, got " + sim.port());
        check(sim.speedUp() > 0 && sim.speedUp() <= 10_000, "simulator.speedUp", "must be in (0, 10000], got " + sim.speedUp());
        check(!sim.wells().isEmpty(), "simulator.wells", "at least one simulated well is required");
        Set<String> ids = new HashSet<>();
        for (int w = 0; w < sim.wells().size(); w++) {
            SimWellConfig well = sim.wells().get(w);
            String at = "simulator.wells[" + w + "]";
            check(ids.add(well.id()), at + ".id", "duplicate simulated well id '" + well.id() + "'");
            check(well.faults().equals(SimWellConfig.NO_FAULTS) || well.faults().equals(SimWellConfig.GARBAGE),
                    at + ".faults", "must be 'none' or 'garbage', got '" + well.faults() + "'");
            Path csv = Path.of(well.csv());
            check(Files.isReadable(csv), at + ".csv", "cannot read file '" + well.csv() + "' (resolved to "
                    + csv.toAbsolutePath() + ")");
            for (Map.Entry<String, Integer> v : well.valves().entrySet()) {
                check(v.getValue() != null, at + ".valves." + v.getKey(), "needs a state (1 open, 0 closed)");
            }
            List<SimWellConfig.ValveEvent> events = well.valveEvents();
            for (int i = 0; i < events.size(); i++) {
                SimWellConfig.ValveEvent e = events.get(i);
                String eat = at + ".valveEvents[" + i + "]";
                check(e.row() >= 1, eat + ".row", "must be >= 1 (1-based data row), got " + e.row());
                check(well.valves().containsKey(e.valve()), eat + ".valve",
                        "valve '" + e.valve() + "' is not among this well's valves " + well.valves().keySet());
            }
        }
    }

    private void checkNodeId(String nodeId, String at) throws ConfigException {
        boolean ok;
        try {
            ok = nodeId != null && !nodeId.isBlank() && ExpandedNodeId.parse(nodeId) != null;
        } catch (RuntimeException e) {
            ok = false;
        }
        check(ok, at, "'" + nodeId + "' is not a valid NodeId (expected e.g. ns=2;s=P-TPT or nsu=urn:plc;s=P-TPT)");
    }

    /** {@code value} within min..max; {@code why} says what the upper bound protects. */
    private void range(long value, long min, long max, String path, String why) throws ConfigException {
        check(value >= min && value <= max, path, "must be " + min + ".." + max + ", got " + value
                + (value > max ? " (" + why + ")" : ""));
    }

    private void check(boolean ok, String path, String problem) throws ConfigException {
        if (!ok) {
            throw new ConfigException(source + ":" + lineOf(path) + ": " + path + ": " + problem);
        }
    }

    /** Line of the path, or of its nearest parent that has one. */
    private String lineOf(String path) {
        return lineOf(lines, path);
    }

    static String lineOf(Map<String, Integer> lines, String path) {
        String p = path;
        while (!p.isEmpty()) {
            Integer line = lines.get(p);
            if (line != null) {
                return line.toString();
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut > 0 ? p.substring(0, cut) : "";
        }
        return "?";
    }
}
