package io.wellwatch.sim;

import io.netty.channel.ChannelOption;
import io.wellwatch.config.SimWellConfig;
import io.wellwatch.config.SecurityConfig;
import io.wellwatch.config.SimulatorConfig;
import io.wellwatch.security.ApplicationPki;
import io.wellwatch.security.EndpointSecurity;
import io.wellwatch.security.LoginThrottle;
import io.wellwatch.security.UserLogin;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfigBuilder;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.util.HostnameUtil;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.BuildInfo;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The PLC stand-in of the demo: an OPC UA server (Eclipse Milo) that replays 3W CSV files as live
 * tags.
 *
 * <h2>Address space</h2>
 * Namespace {@link SimulatorConfig#NAMESPACE_URI}. Per simulated well a folder {@code <id>} under
 * Objects holding:
 * <ul>
 *   <li>one Double variable per numeric CSV column, NodeId {@code s=<id>/<column>}
 *       (e.g. {@code WELL-00001/P-TPT});</li>
 *   <li>{@code s=<id>/class}: the row's class label as a Double, {@code -1} where unlabelled;</li>
 *   <li>one Int32 variable per entry of {@code valves}, NodeId {@code s=<id>/ESTADO-<name>}, 1 open /
 *       0 closed, driven by {@code valves} (initial state) and {@code valveEvents}. When the CSV
 *       itself has a column {@code ESTADO-<name>} (3W v2 files), the configured valve replaces it.</li>
 * </ul>
 * Config files address the tags as {@code nsu=urn:wellwatch:simulator;s=<id>/<tag>}, see
 * {@link #tagNodeId(String, String)}.
 *
 * <h2>Replay</h2>
 * One replay thread advances every well by one row each {@code 1000 ms / speedUp}. Each row sets
 * every variable's DataValue with SourceTimestamp = the row's timestamp (plus {@code loopIndex}
 * times the file's {@link ThreeWCsv#span() span} when looping, so source time keeps increasing)
 * and ServerTimestamp = now. At the end of the file a well starts again at row 1 if {@code loop},
 * otherwise it holds its last row (no more updates). If the thread falls behind by more than
 * {@value #MAX_LAG_MS} ms (e.g. after a GC pause or with a very high speedUp) it re-bases its
 * schedule instead of bursting: rows are never skipped, the replay just runs late.
 *
 * <h2>Status codes</h2>
 * <ul>
 *   <li>Empty CSV cell: {@link #MISSING_VALUE_STATUS} = {@code Bad_NoCommunication}, no value.
 *       Part 8 defines it as "communication with the data source is defined, but not established,
 *       and there is no last known value available": from the client's point of view the PLC is
 *       up and the tag is configured, but nothing came from the field device for that scan. The
 *       alternatives fit worse: {@code Bad_NoData} is a HistoryRead / aggregate code ("no data for
 *       the requested time range"); {@code Bad_WaitingForInitialData} means "not started yet"
 *       (used below for exactly that); {@code Uncertain_NoCommunicationLastUsableValue} would
 *       re-serve the last good value as usable, which makes a frozen value look like a live one
 *       to the detector, and has nothing to offer for a column that is empty throughout;
 *       {@code Bad_SensorFailure} / {@code Bad_DeviceFailure} claim a diagnosis the recording
 *       does not give.</li>
 *   <li>Before a well's first row is published (server just started):
 *       {@code Bad_WaitingForInitialData}, no value, no source timestamp.</li>
 *   <li>Everything else: Good.</li>
 * </ul>
 *
 * <h2>Rows</h2>
 * Rows are 1-based data rows, as in the 3W README and {@code valveEvents}. {@link #currentRow}
 * is the row last published (0 before the first).
 *
 * <p>Security: SecurityPolicy None, anonymous only; it is a local stand-in. Built with a
 * {@link SecurityConfig} it stands in for a secured PLC instead: the endpoints, users and PKI of
 * that config, with the same code as WellWatch's own server. Listening on port 0
 * picks a free port once (on the first {@link #start()}) and keeps it across restarts.
 *
 * <p>{@link #stop()} followed by {@link #start()} brings up a fresh server on the same port and
 * resumes the replay where it stopped, which is how tests simulate a PLC outage.
 */
public final class PlcSimulator implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(PlcSimulator.class);

    /** StatusCode of a tag whose CSV cell is empty (see the class comment for why this one). */
    public static final long MISSING_VALUE_STATUS = StatusCodes.Bad_NoCommunication;
    /** StatusCode of every tag before its well's first row is published. */
    public static final long INITIAL_STATUS = StatusCodes.Bad_WaitingForInitialData;
    /** Name of the class label tag. */
    public static final String CLASS_TAG = "class";
    /** Prefix of valve-state tags: valve DHSV is tag {@code ESTADO-DHSV}. */
    public static final String VALVE_TAG_PREFIX = "ESTADO-";

    static final long MAX_LAG_MS = 250;
    private static final long SERVER_TIMEOUT_S = 15;

    private final SimulatorConfig config;
    /** Null: SecurityPolicy None and anonymous only. */
    private final SecurityConfig security;
    private ApplicationPki pki; // secured mode: opened on the first start, closed by close()
    private final Map<String, WellReplay> wells = new LinkedHashMap<>();

    private final ReentrantLock wakeLock = new ReentrantLock();
    private final Condition wakeUp = wakeLock.newCondition();
    private boolean wakeRequested; // guarded by wakeLock

    private volatile double speedUp;
    private volatile int port;

    // guarded by this
    private OpcUaServer server;
    private SimulatorNamespace namespace;
    private Thread replayThread;
    private volatile boolean replaying;

    /** Builds a simulator whose CSV paths are relative to the working directory. */
    public PlcSimulator(SimulatorConfig config) throws IOException {
        this(config, Path.of(""));
    }

    /**
     * Builds a simulator and loads every CSV file (nothing listens yet).
     *
     * @param baseDir directory that relative CSV paths are resolved against
     * @throws IOException              when a CSV file cannot be read or is malformed
     * @throws IllegalArgumentException when the config is inconsistent (duplicate well ids, a valve
     *                                  event for an undeclared valve, a state other than 0/1, ...)
     */
    public PlcSimulator(SimulatorConfig config, Path baseDir) throws IOException {
        this(config, baseDir, null);
    }

    /**
     * A simulator whose server is secured as {@code security} says (endpoints, users, PKI in its
     * {@code pkiDir}); null for SecurityPolicy None and anonymous only.
     */
    public PlcSimulator(SimulatorConfig config, Path baseDir, SecurityConfig security) throws IOException {
        this.config = config;
        this.security = security;
        checkSpeed(config.speedUp());
        this.speedUp = config.speedUp();
        this.port = config.port();
        if (config.wells().isEmpty()) {
            throw new IllegalArgumentException("simulator has no wells");
        }
        for (SimWellConfig w : config.wells()) {
            if (wells.containsKey(w.id())) {
                throw new IllegalArgumentException("duplicate simulated well id '" + w.id() + "'");
            }
            Path csv = baseDir.resolve(w.csv());
            wells.put(w.id(), new WellReplay(w, ThreeWCsv.read(csv)));
        }
    }

    /** NodeId string of a simulator tag as configs write it: {@code nsu=urn:wellwatch:simulator;s=<wellId>/<tag>}. */
    public static String tagNodeId(String wellId, String tag) {
        return "nsu=" + SimulatorConfig.NAMESPACE_URI + ";s=" + wellId + "/" + tag;
    }

    /** Tag name of a valve: {@code ESTADO-<valve>}. */
    public static String valveTag(String valve) {
        return VALVE_TAG_PREFIX + valve;
    }

    /**
     * Starts listening and replaying. Idempotent while running.
     *
     * @throws IOException when the server cannot be started (e.g. the port is taken)
     */
    public synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        if (port == 0) {
            port = findFreePort(config.bindAddress());
        }
        if (security != null && pki == null) {
            pki = new ApplicationPki(Path.of(security.pkiDir()), applicationUri(),
                    EndpointSecurity.certificateHostnames(host(), config.bindAddress()), security.certificate());
            try {
                pki.open();
            } catch (Exception e) {
                pki.close();
                pki = null;
                throw new IOException("PLC simulator PKI in " + security.pkiDir() + ": " + e.getMessage(), e);
            }
        }
        OpcUaServer newServer = new OpcUaServer(serverConfig(), profile -> new OpcTcpServerTransport(
                OpcTcpServerTransportConfig.newBuilder()
                        // a restarted simulator must get its port back while old connections linger
                        .setBootstrapCustomizer(b -> b.option(ChannelOption.SO_REUSEADDR, true))
                        .build()));
        SimulatorNamespace ns = new SimulatorNamespace(newServer, SimulatorConfig.NAMESPACE_URI);
        ns.startup();
        for (WellReplay w : wells.values()) {
            w.attach(ns);
        }
        try {
            newServer.startup().get(SERVER_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            wells.values().forEach(WellReplay::detach);
            shutdownQuietly(newServer, ns);
            throw new IOException("interrupted while starting the PLC simulator", e);
        } catch (ExecutionException | TimeoutException e) {
            wells.values().forEach(WellReplay::detach);
            shutdownQuietly(newServer, ns);
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new IOException("PLC simulator could not listen on " + endpointUrl() + ": " + cause, cause);
        }
        server = newServer;
        namespace = ns;
        replaying = true;
        long now = System.nanoTime();
        for (WellReplay w : wells.values()) {
            synchronized (w) {
                w.nextDueNanos = now;
            }
        }
        replayThread = new Thread(this::replayLoop, "wellwatch-plc-replay");
        replayThread.setDaemon(true);
        replayThread.start();
        LOG.info("PLC simulator listening on {} (namespace {} index {}), {} well(s), speedUp {}",
                endpointUrl(), SimulatorConfig.NAMESPACE_URI, ns.getNamespaceIndex(), wells.size(), speedUp);
    }

    /** Stops replaying and shuts the server down. Idempotent; {@link #start()} may follow. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        replaying = false;
        wake();
        Thread t = replayThread;
        replayThread = null;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(SERVER_TIMEOUT_S));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (WellReplay w : wells.values()) {
            w.detach();
        }
        shutdownQuietly(server, namespace);
        server = null;
        namespace = null;
        LOG.info("PLC simulator on {} stopped", endpointUrl());
    }

    @Override
    public void close() {
        stop();
        synchronized (this) {
            if (pki != null) {
                pki.close();
                pki = null;
            }
        }
    }

    /** The PKI of a secured simulator once started (its certificate, trust lists), else null. */
    public synchronized ApplicationPki pki() {
        return pki;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** The port listened on (the free port chosen when the config says 0, once started). */
    public int port() {
        return port;
    }

    /** {@code opc.tcp://<bindAddress>:<port><path>}. */
    public String endpointUrl() {
        return "opc.tcp://" + config.bindAddress() + ":" + port + config.path();
    }

    /** Index of {@link SimulatorConfig#NAMESPACE_URI} in the running server's namespace table, -1 when stopped. */
    public synchronized int namespaceIndex() {
        return namespace == null ? -1 : namespace.getNamespaceIndex().intValue();
    }

    public List<String> wellIds() {
        return List.copyOf(wells.keySet());
    }

    /** The replayed file of a well. */
    public ThreeWCsv data(String wellId) {
        return well(wellId).csv;
    }

    /** Tag names of a well in address-space order: CSV columns, {@code class}, then valves. */
    public List<String> tagNames(String wellId) {
        return well(wellId).tagNames;
    }

    /** Row last published for a well (1-based), 0 before the first. */
    public int currentRow(String wellId) {
        WellReplay w = well(wellId);
        synchronized (w) {
            return w.currentRow;
        }
    }

    /** How many times the well's file has wrapped around. */
    public long loopIndex(String wellId) {
        WellReplay w = well(wellId);
        synchronized (w) {
            return w.loopIndex;
        }
    }

    /** Total rows published for a well since construction. */
    public long rowsPublished(String wellId) {
        WellReplay w = well(wellId);
        synchronized (w) {
            return w.published;
        }
    }

    /** Times the replay fell more than {@value #MAX_LAG_MS} ms behind and re-based its schedule. */
    public long lagResets(String wellId) {
        WellReplay w = well(wellId);
        synchronized (w) {
            return w.lagResets;
        }
    }

    /** Source timestamp the given row carries on the given pass through the file. */
    public Instant sourceTime(String wellId, int row, long loopIndex) {
        WellReplay w = well(wellId);
        w.checkRow(row);
        return w.csv.timestamp(row - 1).plus(w.span.multipliedBy(loopIndex));
    }

    /** Stops advancing a well; its tags keep their values. */
    public void pause(String wellId) {
        WellReplay w = well(wellId);
        synchronized (w) {
            w.paused = true;
        }
    }

    /** Resumes a paused well; its next row is published at once. */
    public void resume(String wellId) {
        WellReplay w = well(wellId);
        synchronized (w) {
            w.paused = false;
            w.nextDueNanos = System.nanoTime();
        }
        wake();
    }

    public boolean isPaused(String wellId) {
        WellReplay w = well(wellId);
        synchronized (w) {
            return w.paused;
        }
    }

    /**
     * Jumps a well to {@code row} (1-based) in the current pass. While running the row is published
     * before this returns and the replay continues from there one period later (a paused well stays
     * paused); while stopped, {@code row} is the first row published after {@link #start()}.
     * Jumping backwards makes source time go backwards: that is the caller's choice.
     */
    public void seekRow(String wellId, int row) {
        WellReplay w = well(wellId);
        w.checkRow(row);
        synchronized (w) {
            w.holding = false;
            w.currentRow = row;
            if (w.nodes != null) {
                w.publish(row, w.loopIndex);
                w.publishCurrentNext = false;
                w.nextDueNanos = System.nanoTime() + periodNanos();
            } else {
                w.publishCurrentNext = true;
            }
        }
        wake();
    }

    /** Replay speed relative to the recording (rows per second). */
    /** How many times each kind of bad input was sent for a well in {@code faults: garbage} mode (empty otherwise). */
    public Map<String, Long> garbageSent(String wellId) {
        WellReplay w = well(wellId);
        Map<String, Long> sent = new LinkedHashMap<>();
        synchronized (w) {
            if (w.garbage != null) {
                for (GarbageInjector.Kind k : GarbageInjector.Kind.values()) {
                    sent.put(k.name().toLowerCase(java.util.Locale.ROOT), w.garbage.injected(k));
                }
            }
        }
        return sent;
    }

    public double speedUp() {
        return speedUp;
    }

    /** Changes the replay speed; takes effect at the next row. */
    public void setSpeedUp(double newSpeedUp) {
        checkSpeed(newSpeedUp);
        this.speedUp = newSpeedUp;
        long now = System.nanoTime();
        long period = periodNanos();
        for (WellReplay w : wells.values()) {
            synchronized (w) {
                if (w.nextDueNanos - (now + period) > 0) {
                    w.nextDueNanos = now + period;
                }
            }
        }
        wake();
    }

    // ---------------------------------------------------------------- replay

    private void replayLoop() {
        LOG.debug("replay thread started");
        while (replaying) {
            long now = System.nanoTime();
            long period = periodNanos();
            long nextWake = now + TimeUnit.SECONDS.toNanos(1);
            boolean behind = false;
            for (WellReplay w : wells.values()) {
                synchronized (w) {
                    if (w.nodes == null || w.paused) {
                        continue;
                    }
                    if (now - w.nextDueNanos >= 0) {
                        try {
                            w.advance();
                        } catch (RuntimeException e) {
                            LOG.error("replay of well {} failed at row {}", w.id, w.currentRow, e);
                        }
                        long lag = now - w.nextDueNanos;
                        if (lag > TimeUnit.MILLISECONDS.toNanos(MAX_LAG_MS)) {
                            w.nextDueNanos = now + period;
                            if (w.lagResets++ % 100 == 0) {
                                LOG.warn("replay of well {} fell {} ms behind; running late rather than skipping rows",
                                        w.id, TimeUnit.NANOSECONDS.toMillis(lag));
                            }
                        } else {
                            w.nextDueNanos += period;
                        }
                    }
                    if (w.holding) {
                        continue;
                    }
                    if (w.nextDueNanos - now <= 0) {
                        behind = true;
                    }
                    if (w.nextDueNanos - nextWake < 0) {
                        nextWake = w.nextDueNanos;
                    }
                }
            }
            if (!behind) {
                awaitUntil(nextWake);
            }
        }
        LOG.debug("replay thread stopped");
    }

    private void awaitUntil(long deadlineNanos) {
        wakeLock.lock();
        try {
            long wait = deadlineNanos - System.nanoTime();
            while (!wakeRequested && replaying && wait > 0) {
                wait = wakeUp.awaitNanos(wait);
            }
            wakeRequested = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            replaying = false;
        } finally {
            wakeLock.unlock();
        }
    }

    private void wake() {
        wakeLock.lock();
        try {
            wakeRequested = true;
            wakeUp.signalAll();
        } finally {
            wakeLock.unlock();
        }
    }

    private long periodNanos() {
        return Math.max(1L, (long) (TimeUnit.SECONDS.toNanos(1) / speedUp));
    }

    // ---------------------------------------------------------------- server

    private String host() {
        String bind = config.bindAddress();
        return isWildcard(bind) ? HostnameUtil.getHostname() : bind;
    }

    private String applicationUri() {
        return SimulatorConfig.NAMESPACE_URI + ":" + host() + ":" + port;
    }

    private OpcUaServerConfig serverConfig() {
        String bind = config.bindAddress();
        String host = host();
        String productUri = SimulatorConfig.NAMESPACE_URI;
        OpcUaServerConfigBuilder builder = OpcUaServerConfig.builder()
                .setApplicationUri(applicationUri())
                .setApplicationName(LocalizedText.english("WellWatch PLC simulator"))
                .setProductUri(productUri)
                .setBuildInfo(new BuildInfo(productUri, "WellWatch", "WellWatch PLC simulator",
                        OpcUaServer.SDK_VERSION, "", DateTime.now()));
        if (security != null) {
            UserLogin login = new UserLogin(security, LoginThrottle.of(security.lockout()), pki.userCertificateValidator());
            return builder
                    .setEndpoints(new EndpointSecurity(security).endpoints(bind, port, host, config.path(), pki))
                    .setIdentityValidator(login)
                    .setRoleMapper(login)
                    .setCertificateManager(pki.certificateManager())
                    .build();
        }
        EndpointConfig endpoint = EndpointConfig.newBuilder()
                .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
                .setBindAddress(bind)
                .setBindPort(port)
                .setHostname(host)
                .setPath(config.path())
                .setSecurityPolicy(SecurityPolicy.None)
                .setSecurityMode(MessageSecurityMode.None)
                .addTokenPolicy(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS)
                .build();
        return builder
                .setEndpoints(Set.of(endpoint))
                .setIdentityValidator(AnonymousIdentityValidator.INSTANCE)
                // no application certificate: only SecurityPolicy None is offered
                .setCertificateManager(new DefaultCertificateManager(new MemoryCertificateQuarantine()))
                .build();
    }

    private static void shutdownQuietly(OpcUaServer s, SimulatorNamespace ns) {
        try {
            ns.shutdown();
        } catch (RuntimeException e) {
            LOG.debug("namespace shutdown: {}", e.toString());
        }
        try {
            s.shutdown().get(SERVER_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("PLC simulator server shutdown: {}", e.toString());
        }
    }

    private static boolean isWildcard(String bind) {
        return "0.0.0.0".equals(bind) || "::".equals(bind) || "[::]".equals(bind);
    }

    private static int findFreePort(String bindAddress) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), 0));
            return s.getLocalPort();
        }
    }

    private static void checkSpeed(double s) {
        if (!(s > 0) || Double.isInfinite(s)) {
            throw new IllegalArgumentException("speedUp must be a positive finite number, got " + s);
        }
    }

    private WellReplay well(String wellId) {
        WellReplay w = wells.get(wellId);
        if (w == null) {
            throw new IllegalArgumentException("unknown simulated well '" + wellId + "'; wells: " + wells.keySet());
        }
        return w;
    }

    // ---------------------------------------------------------------- one well

    /** Replay state of one well. Mutable fields are guarded by the instance monitor. */
    private static final class WellReplay {
        final String id;
        final ThreeWCsv csv;
        final boolean loop;
        final Duration span;
        /** CSV column positions that get a variable (ESTADO-x columns replaced by configured valves are left out). */
        final int[] publishedColumns;
        final List<String> valveNames;
        final int[] initialValves;
        final List<SimWellConfig.ValveEvent> events; // sorted by row, stable
        final List<String> tagNames;
        /** Null unless {@code faults: garbage}. */
        final GarbageInjector garbage;

        UaVariableNode[] nodes; // per tag, in tagNames order; null while stopped
        int currentRow;
        long loopIndex;
        boolean paused;
        boolean holding;
        boolean publishCurrentNext;
        long nextDueNanos;
        long published;
        long lagResets;

        WellReplay(SimWellConfig cfg, ThreeWCsv csv) {
            this.id = cfg.id();
            this.csv = csv;
            this.loop = cfg.loop();
            this.garbage = SimWellConfig.GARBAGE.equals(cfg.faults()) ? new GarbageInjector() : null;
            this.span = csv.span();
            this.valveNames = List.copyOf(cfg.valves().keySet());
            this.initialValves = new int[valveNames.size()];
            for (int v = 0; v < valveNames.size(); v++) {
                Integer state = cfg.valves().get(valveNames.get(v));
                initialValves[v] = checkState(state, "initial state of valve " + valveNames.get(v));
            }
            List<SimWellConfig.ValveEvent> sorted = new ArrayList<>(cfg.valveEvents());
            for (SimWellConfig.ValveEvent e : sorted) {
                if (!valveNames.contains(e.valve())) {
                    throw new IllegalArgumentException("well " + id + ": valve event refers to valve '" + e.valve()
                            + "', which is not among its valves " + valveNames);
                }
                checkState(e.state(), "valve event state of " + e.valve());
                if (e.row() < 1 || e.row() > csv.rowCount()) {
                    LOG.warn("well {}: valve event at row {} is outside the file's rows 1..{} and never fires",
                            id, e.row(), csv.rowCount());
                }
            }
            sorted.sort(Comparator.comparingInt(SimWellConfig.ValveEvent::row));
            this.events = List.copyOf(sorted);

            List<String> names = new ArrayList<>();
            List<Integer> cols = new ArrayList<>();
            for (int c = 0; c < csv.columnNames().size(); c++) {
                String col = csv.columnNames().get(c);
                if (col.startsWith(VALVE_TAG_PREFIX) && valveNames.contains(col.substring(VALVE_TAG_PREFIX.length()))) {
                    LOG.info("well {}: configured valve {} replaces the CSV column {}",
                            id, col.substring(VALVE_TAG_PREFIX.length()), col);
                    continue;
                }
                names.add(col);
                cols.add(c);
            }
            this.publishedColumns = cols.stream().mapToInt(Integer::intValue).toArray();
            names.add(CLASS_TAG);
            for (String v : valveNames) {
                names.add(valveTag(v));
            }
            this.tagNames = List.copyOf(names);
        }

        private int checkState(Integer state, String what) {
            if (state == null || (state != 0 && state != 1)) {
                throw new IllegalArgumentException("well " + id + ": " + what + " must be 0 (closed) or 1 (open), got " + state);
            }
            return state;
        }

        void checkRow(int row) {
            if (row < 1 || row > csv.rowCount()) {
                throw new IllegalArgumentException("well " + id + ": row " + row + " outside 1.." + csv.rowCount());
            }
        }

        /** Creates this well's nodes in a freshly started namespace. */
        void attach(SimulatorNamespace ns) {
            DataValue initial = new DataValue(Variant.NULL_VALUE, new StatusCode(INITIAL_STATUS), null, DateTime.now());
            List<SimulatorNamespace.TagSpec> specs = new ArrayList<>(tagNames.size());
            int valveStart = publishedColumns.length + 1;
            for (int t = 0; t < tagNames.size(); t++) {
                specs.add(new SimulatorNamespace.TagSpec(tagNames.get(t),
                        t >= valveStart ? NodeIds.Int32 : NodeIds.Double, initial));
            }
            List<UaVariableNode> created = ns.addWell(id, specs).tags();
            synchronized (this) {
                nodes = created.toArray(UaVariableNode[]::new);
            }
        }

        synchronized void detach() {
            nodes = null;
        }

        /** Publishes the next row (or the sought one), wrapping or holding at the end. */
        void advance() {
            if (holding) {
                return;
            }
            if (publishCurrentNext && currentRow > 0) {
                publishCurrentNext = false;
                publish(currentRow, loopIndex);
                return;
            }
            int next = currentRow + 1;
            if (next > csv.rowCount()) {
                if (!loop) {
                    holding = true;
                    LOG.info("well {}: end of {} reached, holding the last row", id, csv.file());
                    return;
                }
                next = 1;
                loopIndex++;
            }
            currentRow = next;
            publish(next, loopIndex);
        }

        /** Sets every tag of the well to {@code row} (1-based) of pass {@code pass}. */
        void publish(int row, long pass) {
            UaVariableNode[] n = nodes;
            if (n == null) {
                return;
            }
            int index = row - 1;
            DateTime source = new DateTime(csv.timestamp(index).plus(span.multipliedBy(pass)));
            DateTime serverTime = DateTime.now();
            StatusCode good = StatusCode.GOOD;
            StatusCode missing = new StatusCode(MISSING_VALUE_STATUS);
            int t = 0;
            List<DataValue> sensorValues = new ArrayList<>(publishedColumns.length);
            for (int c : publishedColumns) {
                double v = csv.value(index, c);
                sensorValues.add(Double.isNaN(v)
                        ? new DataValue(Variant.NULL_VALUE, missing, source, serverTime)
                        : new DataValue(Variant.ofDouble(v), good, source, serverTime));
            }
            if (garbage != null) {
                garbage.publish(List.of(n).subList(0, publishedColumns.length), sensorValues, source);
                t = publishedColumns.length;
            } else {
                for (DataValue v : sensorValues) {
                    n[t++].setValue(v);
                }
            }
            n[t++].setValue(new DataValue(Variant.ofDouble(csv.label(index)), good, source, serverTime));
            int[] states = valveStatesAt(row);
            for (int v = 0; v < states.length; v++) {
                n[t++].setValue(new DataValue(Variant.ofInt32(states[v]), good, source, serverTime));
            }
            published++;
        }

        /** Valve states in force at {@code row}: the initial states plus every event at or before it. */
        int[] valveStatesAt(int row) {
            int[] s = initialValves.clone();
            for (SimWellConfig.ValveEvent e : events) {
                if (e.row() > row) {
                    break;
                }
                s[valveNames.indexOf(e.valve())] = e.state();
            }
            return s;
        }
    }
}
