package io.wellwatch.upstream;

import io.wellwatch.config.SensorConfig;
import io.wellwatch.config.UpstreamConfig;
import io.wellwatch.config.ValveConfig;
import io.wellwatch.config.WellConfig;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.UaSession;
import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemSynchronizationException;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DeadbandType;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * The OPC UA client side of one upstream endpoint (one PLC): one session, one subscription, one
 * monitored item per configured sensor and valve tag of every well on that endpoint.
 *
 * <h2>Connecting</h2>
 * {@link #start()} never blocks on the PLC and never fails because the PLC is down: connecting
 * runs on this connection's own thread, and a failed attempt is retried after an exponentially
 * growing delay ({@value #INITIAL_BACKOFF_MS} ms doubling up to {@value #MAX_BACKOFF_MS} ms). Each
 * attempt discovers the endpoints, opens a session ({@link UpstreamSecurity} chooses the endpoint
 * and identity), reads the server's namespace table, resolves the configured NodeIds
 * ({@code ns=<index>;...} as given, {@code nsu=<uri>;...} against that table) and creates the
 * subscription.
 *
 * <h2>Losing the PLC</h2>
 * A PLC that stops cleanly closes the connection and the loss is seen at once. One that vanishes
 * silently (cable, power, switch) is noticed only by the session keep-alive configured in
 * {@link UpstreamConfig}: after too many failed keep-alive reads Milo reports the session inactive
 * and closes the channel itself, which starts the reconnect below.
 *
 * <p>Once a session exists, Milo 1.x's session state machine owns recovery: on a lost connection it
 * reconnects by itself (waits 1, 2, 4, ... capped at 16 s), reactivates the session or creates a
 * new one, and transfers existing subscriptions to it. This class follows it through
 * {@link SessionActivityListener}: session inactive reports disconnected, session active reports
 * connected. When the transfer fails (typically the PLC restarted and forgot the subscription)
 * Milo resets the subscription and reports it; the subscription is then rebuilt from scratch,
 * re-reading the namespace table, before the wells are reported connected again.
 *
 * <p>Connection state goes to every assembler of this endpoint, which reports changes to the
 * sink as {@code onConnectionState(wellId, connected)}. The first attempt's outcome is always
 * reported.
 *
 * <h2>Subscription</h2>
 * Publishing interval = the smallest {@code samplingPeriodMs} of the wells (100 ms if that is not
 * positive). Each item samples at half its well's sampling period, queue size 1, with a
 * DataChangeFilter on StatusValueTimestamp so that a value that stays the same but carries a new
 * source timestamp is still reported (a frozen sensor is not a silent PLC). Tags the server does
 * not know (or whose namespace URI it lacks) are logged and left out; their readings stay null.
 */
public final class UpstreamConnection implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(UpstreamConnection.class);

    static final long INITIAL_BACKOFF_MS = 500;
    static final long MAX_BACKOFF_MS = 30_000;
    private static final long DEFAULT_PUBLISHING_MS = 100;
    private static final long STEP_TIMEOUT_S = 10;
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    private final String endpointUrl;
    private final List<SampleAssembler> assemblers;
    private final UpstreamSecurity security;
    private final UpstreamConfig keepAlive;
    private final double publishingIntervalMs;
    private final ScheduledExecutorService worker;

    private volatile boolean running;
    private volatile boolean connected;

    // confined to the worker thread
    private OpcUaClient client;
    private OpcUaSubscription subscription;
    private long backoffMs = INITIAL_BACKOFF_MS;
    private int failedAttempts;
    private ScheduledFuture<?> pendingRetry;

    /**
     * @param endpointUrl the PLC endpoint, {@code opc.tcp://host:port/path}
     * @param assemblers  one per well on this endpoint; their well configs name the tags
     * @param security    endpoint selection and identity; {@link UpstreamSecurity#none()} for now
     */
    public UpstreamConnection(String endpointUrl, List<SampleAssembler> assemblers, UpstreamSecurity security) {
        this(endpointUrl, assemblers, security, UpstreamConfig.DEFAULT);
    }

    /**
     * @param keepAlive how a PLC that went silent is noticed (see {@link UpstreamConfig})
     */
    public UpstreamConnection(String endpointUrl, List<SampleAssembler> assemblers, UpstreamSecurity security,
                              UpstreamConfig keepAlive) {
        this.endpointUrl = Objects.requireNonNull(endpointUrl, "endpointUrl").trim();
        this.assemblers = List.copyOf(assemblers);
        this.security = Objects.requireNonNull(security, "security");
        this.keepAlive = Objects.requireNonNull(keepAlive, "keepAlive");
        if (this.assemblers.isEmpty()) {
            throw new IllegalArgumentException("no wells for endpoint " + endpointUrl);
        }
        long minPeriod = this.assemblers.stream().mapToLong(a -> a.well().samplingPeriodMs()).min().orElse(0);
        this.publishingIntervalMs = minPeriod > 0 ? minPeriod : DEFAULT_PUBLISHING_MS;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wellwatch-upstream-" + THREAD_IDS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public UpstreamConnection(String endpointUrl, List<SampleAssembler> assemblers) {
        this(endpointUrl, assemblers, UpstreamSecurity.none());
    }

    public String endpointUrl() {
        return endpointUrl;
    }

    public List<String> wellIds() {
        return assemblers.stream().map(SampleAssembler::wellId).toList();
    }

    /** Session up and subscription in place. */
    public boolean isConnected() {
        return connected;
    }

    /** Starts connecting in the background; returns at once. */
    public synchronized void start() {
        if (running) {
            return;
        }
        if (worker.isShutdown()) {
            throw new IllegalStateException("connection to " + endpointUrl + " was stopped; create a new one");
        }
        running = true;
        LOG.info("upstream {}: connecting ({}), wells {}; keep-alive every {} ms, timeout {} ms, {} failure(s)"
                        + " allowed: a silent PLC is noticed within {} ms", endpointUrl, security.describe(), wellIds(),
                keepAlive.keepAliveIntervalMs(), keepAlive.keepAliveTimeoutMs(), keepAlive.keepAliveFailuresAllowed(),
                keepAlive.detectionBoundMs());
        worker.execute(this::attempt);
    }

    /** Closes the session and stops retrying. Does not report a connection change. */
    public synchronized void stop() {
        if (worker.isShutdown()) {
            return;
        }
        running = false;
        try {
            worker.submit(this::teardown).get(STEP_TIMEOUT_S + 5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("upstream {}: stopping: {}", endpointUrl, e.toString());
        }
        worker.shutdownNow();
        connected = false;
    }

    @Override
    public void close() {
        stop();
    }

    // ------------------------------------------------------------ worker thread

    private void attempt() {
        pendingRetry = null;
        if (!running || client != null) {
            return;
        }
        OpcUaClient c = null;
        try {
            c = newClient();
            c.addSessionActivityListener(new SessionWatcher(c));
            c.connectAsync().get(STEP_TIMEOUT_S, TimeUnit.SECONDS);
            client = c;
            buildSubscription(c);
            if (failedAttempts > 0) {
                LOG.info("upstream {}: connected after {} failed attempt(s)", endpointUrl, failedAttempts);
            } else {
                LOG.info("upstream {}: connected", endpointUrl);
            }
            failedAttempts = 0;
            backoffMs = INITIAL_BACKOFF_MS;
            setConnected(true);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            client = null;
            subscription = null;
            if (c != null) {
                disconnectQuietly(c);
            }
            failedAttempts++;
            String why = rootMessage(e);
            if (failedAttempts == 1) {
                LOG.warn("upstream {}: cannot connect ({}); retrying with backoff up to {} s",
                        endpointUrl, why, MAX_BACKOFF_MS / 1000);
            } else if (failedAttempts % 10 == 0) {
                LOG.warn("upstream {}: still unreachable after {} attempts ({}); next in {} ms",
                        endpointUrl, failedAttempts, why, backoffMs);
            } else if (failedAttempts <= 5) {
                LOG.info("upstream {}: attempt {} failed ({}); next in {} ms", endpointUrl, failedAttempts, why, backoffMs);
            } else {
                LOG.debug("upstream {}: attempt {} failed ({}); next in {} ms", endpointUrl, failedAttempts, why, backoffMs);
            }
            setConnected(false);
            scheduleRetry(this::attempt);
        }
    }

    private OpcUaClient newClient() throws Exception {
        return SecuredClient.create(endpointUrl, security, "WellWatch upstream client", "urn:wellwatch:upstream",
                STEP_TIMEOUT_S, keepAlive);
    }

    /** Reads the namespace table, resolves the tags and creates subscription and items. */
    private void buildSubscription(OpcUaClient c) throws Exception {
        NamespaceTable namespaces = c.readNamespaceTable();
        OpcUaSubscription sub = new OpcUaSubscription(c, publishingIntervalMs);
        sub.setSubscriptionListener(new SubscriptionWatcher(c));
        sub.create();

        List<OpcUaMonitoredItem> items = new ArrayList<>();
        for (SampleAssembler a : assemblers) {
            WellConfig w = a.well();
            double sampling = w.samplingPeriodMs() / 2.0;
            for (int i = 0; i < w.sensors().size(); i++) {
                SensorConfig s = w.sensors().get(i);
                newItem(namespaces, w, "sensor " + s.name(), s.nodeId(), sampling, new Target(a, true, i))
                        .ifPresent(items::add);
            }
            for (int i = 0; i < w.valves().size(); i++) {
                ValveConfig v = w.valves().get(i);
                newItem(namespaces, w, "valve " + v.name(), v.nodeId(), sampling, new Target(a, false, i))
                        .ifPresent(items::add);
            }
        }
        sub.addMonitoredItems(items);
        try {
            sub.synchronizeMonitoredItems();
        } catch (MonitoredItemSynchronizationException e) {
            LOG.debug("upstream {}: some monitored items failed: {}", endpointUrl, e.getMessage());
        }
        int ok = 0;
        for (OpcUaMonitoredItem item : items) {
            StatusCode result = item.getCreateResult().orElse(StatusCode.BAD);
            if (result.isGood()) {
                ok++;
            } else {
                LOG.warn("upstream {}: {} ({}): {}", endpointUrl, item.getUserObject().orElse("?"),
                        item.getReadValueId().getNodeId().toParseableString(), statusName(result));
            }
        }
        subscription = sub;
        LOG.debug("upstream {}: subscription {} with {}/{} monitored items, publishing every {} ms",
                endpointUrl, sub.getSubscriptionId().orElse(null), ok, items.size(),
                sub.getRevisedPublishingInterval().orElse(publishingIntervalMs));
    }

    private Optional<OpcUaMonitoredItem> newItem(NamespaceTable namespaces, WellConfig w, String what,
                                                 String configured, double samplingMs, Target target) {
        Optional<NodeId> nodeId = resolve(configured, namespaces);
        if (nodeId.isEmpty()) {
            LOG.warn("upstream {}: well {} {}: cannot resolve NodeId '{}' (unknown namespace URI?); tag skipped",
                    endpointUrl, w.id(), what, configured);
            return Optional.empty();
        }
        OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(nodeId.get());
        item.setSamplingInterval(samplingMs);
        item.setQueueSize(uint(1));
        item.setDiscardOldest(true);
        item.setFilter(new DataChangeFilter(DataChangeTrigger.StatusValueTimestamp, uint(DeadbandType.None.getValue()), 0.0));
        item.setUserObject(target);
        return Optional.of(item);
    }

    /**
     * Resolves a configured NodeId: {@code ns=<index>;...} as given, {@code nsu=<uri>;...} through the
     * server's namespace table. Empty when the text does not parse or the URI is unknown to the server.
     */
    static Optional<NodeId> resolve(String configured, NamespaceTable namespaces) {
        try {
            return ExpandedNodeId.parse(configured.trim()).toNodeId(namespaces);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private void onSessionActive(OpcUaClient c) {
        if (c != client || !running) {
            return;
        }
        if (subscription == null || subscription.getSyncState() == OpcUaSubscription.SyncState.INITIAL) {
            rebuildSubscription(c);
        } else {
            if (!connected) {
                LOG.info("upstream {}: session active again, subscription kept", endpointUrl);
            }
            backoffMs = INITIAL_BACKOFF_MS;
            setConnected(true);
        }
    }

    private void onSessionInactive(OpcUaClient c) {
        if (c != client || !running) {
            return;
        }
        LOG.warn("upstream {}: session lost; Milo is reconnecting", endpointUrl);
        setConnected(false);
    }

    /** The server no longer has our subscription: build a new one on the current session. */
    private void rebuildSubscription(OpcUaClient c) {
        pendingRetry = null;
        if (c != client || !running) {
            return;
        }
        if (subscription != null && subscription.getSyncState() != OpcUaSubscription.SyncState.INITIAL) {
            return; // already rebuilt
        }
        subscription = null;
        try {
            buildSubscription(c);
            LOG.info("upstream {}: subscription re-created", endpointUrl);
            backoffMs = INITIAL_BACKOFF_MS;
            setConnected(true);
        } catch (Exception e) {
            // Most likely the session went away again; if it comes back onSessionActive retries too.
            LOG.warn("upstream {}: cannot re-create the subscription ({}); retrying in {} ms",
                    endpointUrl, rootMessage(e), backoffMs);
            setConnected(false);
            scheduleRetry(() -> rebuildSubscription(c));
        }
    }

    private void scheduleRetry(Runnable task) {
        if (!running) {
            return;
        }
        if (pendingRetry != null) {
            pendingRetry.cancel(false);
        }
        pendingRetry = worker.schedule(task, backoffMs, TimeUnit.MILLISECONDS);
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
    }

    private void teardown() {
        if (pendingRetry != null) {
            pendingRetry.cancel(false);
            pendingRetry = null;
        }
        OpcUaClient c = client;
        client = null;
        subscription = null;
        if (c != null) {
            disconnectQuietly(c);
        }
        LOG.info("upstream {}: closed", endpointUrl);
    }

    private void setConnected(boolean nowConnected) {
        connected = nowConnected;
        for (SampleAssembler a : assemblers) {
            a.setConnected(nowConnected);
        }
    }

    private void disconnectQuietly(OpcUaClient c) {
        try {
            CompletableFuture<OpcUaClient> f = c.disconnectAsync();
            f.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("upstream {}: disconnect: {}", endpointUrl, e.toString());
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static String statusName(StatusCode s) {
        return StatusCodes.lookup(s.getValue()).map(n -> n[0]).orElse(s.toString());
    }

    // ------------------------------------------------------------ Milo callbacks

    /** Where the values of one monitored item go. */
    private record Target(SampleAssembler assembler, boolean sensor, int index) {
        void deliver(DataValue value) {
            if (sensor) {
                assembler.onSensorValue(index, value);
            } else {
                assembler.onValveValue(index, value);
            }
        }

        @Override
        public String toString() {
            WellConfig w = assembler.well();
            return "well " + w.id() + (sensor ? " sensor " + w.sensors().get(index).name()
                    : " valve " + w.valves().get(index).name());
        }
    }

    /** Session events of one client, handed to the worker thread. */
    private final class SessionWatcher implements SessionActivityListener {
        private final OpcUaClient owner;

        SessionWatcher(OpcUaClient owner) {
            this.owner = owner;
        }

        @Override
        public void onSessionActive(UaSession session) {
            submit(() -> UpstreamConnection.this.onSessionActive(owner));
        }

        @Override
        public void onSessionInactive(UaSession session) {
            submit(() -> UpstreamConnection.this.onSessionInactive(owner));
        }
    }

    /** Data and lifecycle events of one subscription. */
    private final class SubscriptionWatcher implements OpcUaSubscription.SubscriptionListener {
        private final OpcUaClient owner;

        SubscriptionWatcher(OpcUaClient owner) {
            this.owner = owner;
        }

        @Override
        public void onDataReceived(OpcUaSubscription sub, List<OpcUaMonitoredItem> items, List<DataValue> values) {
            for (int i = 0; i < items.size() && i < values.size(); i++) {
                Object target = items.get(i).getUserObject().orElse(null);
                if (target instanceof Target t) {
                    try {
                        t.deliver(values.get(i));
                    } catch (RuntimeException e) {
                        LOG.error("upstream {}: delivering {} failed", endpointUrl, t, e);
                    }
                }
            }
        }

        @Override
        public void onTransferFailed(OpcUaSubscription sub, StatusCode status) {
            LOG.info("upstream {}: subscription could not be transferred to the new session ({}); re-creating",
                    endpointUrl, statusName(status));
            submit(() -> rebuildSubscription(owner));
        }

        @Override
        public void onStatusChanged(OpcUaSubscription sub, StatusCode status) {
            LOG.info("upstream {}: subscription status {}", endpointUrl, statusName(status));
            if (status.isBad()) {
                // e.g. Bad_Timeout: the server dropped the subscription; build a new one
                submit(() -> {
                    if (subscription == sub) {
                        sub.reset();
                        rebuildSubscription(owner);
                    }
                });
            }
        }

        @Override
        public void onWatchdogTimerElapsed(OpcUaSubscription sub) {
            LOG.debug("upstream {}: no publish response within the keep-alive window", endpointUrl);
        }

        @Override
        public void onNotificationDataLost(OpcUaSubscription sub) {
            LOG.debug("upstream {}: notification data lost (sequence gap)", endpointUrl);
        }
    }

    private void submit(Runnable task) {
        try {
            worker.execute(task);
        } catch (RuntimeException e) {
            // rejected after stop(): nothing left to do
        }
    }
}
