package io.wellwatch.upstream;

import io.wellwatch.config.UpstreamConfig;
import io.wellwatch.config.WellConfig;
import io.wellwatch.core.SampleSink;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * All upstream traffic of WellWatch: groups the wells by endpoint URL, opens one
 * {@link UpstreamConnection} per endpoint and runs one {@link SampleAssembler} per well, all
 * feeding one {@link SampleSink}.
 *
 * <p>{@link #start()} returns at once; PLCs that are down are retried in the background and show up
 * as {@code onConnectionState(wellId, false)}. Sink calls for one well are serialized; calls for
 * different wells may come from different threads at the same time.
 */
public final class UpstreamManager implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(UpstreamManager.class);
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    private final Map<String, SampleAssembler> assemblers = new LinkedHashMap<>();
    private final Map<String, UpstreamConnection> connections = new LinkedHashMap<>();
    private final ScheduledThreadPoolExecutor sampler;
    private boolean started;
    private boolean stopped;

    public UpstreamManager(List<WellConfig> wells, SampleSink sink) {
        this(wells, sink, UpstreamSecurity.none());
    }

    /**
     * @throws IllegalArgumentException on an empty well list or duplicate well ids
     */
    public UpstreamManager(List<WellConfig> wells, SampleSink sink, UpstreamSecurity security) {
        this(wells, sink, security, UpstreamConfig.DEFAULT);
    }

    /**
     * @param keepAlive how the connections notice a PLC that went silent
     * @throws IllegalArgumentException on an empty well list or duplicate well ids
     */
    public UpstreamManager(List<WellConfig> wells, SampleSink sink, UpstreamSecurity security, UpstreamConfig keepAlive) {
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(keepAlive, "keepAlive");
        if (wells == null || wells.isEmpty()) {
            throw new IllegalArgumentException("no wells configured");
        }
        Map<String, List<SampleAssembler>> byEndpoint = new LinkedHashMap<>();
        for (WellConfig w : wells) {
            SampleAssembler a = new SampleAssembler(w, sink);
            if (assemblers.putIfAbsent(w.id(), a) != null) {
                throw new IllegalArgumentException("duplicate well id '" + w.id() + "'");
            }
            byEndpoint.computeIfAbsent(w.endpoint().trim(), k -> new ArrayList<>()).add(a);
        }
        byEndpoint.forEach((url, list) -> connections.put(url, new UpstreamConnection(url, list, security, keepAlive)));
        int threads = Math.max(1, Math.min(4, assemblers.size()));
        sampler = new ScheduledThreadPoolExecutor(threads, r -> {
            Thread t = new Thread(r, "wellwatch-sampler-" + THREAD_IDS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        sampler.setRemoveOnCancelPolicy(true);
    }

    /** Starts sampling and connecting; never blocks on a PLC. */
    public synchronized void start() {
        if (stopped) {
            throw new IllegalStateException("upstream manager was stopped; create a new one");
        }
        if (started) {
            return;
        }
        started = true;
        for (SampleAssembler a : assemblers.values()) {
            a.start(sampler);
        }
        for (UpstreamConnection c : connections.values()) {
            c.start();
        }
        LOG.info("upstream: {} well(s) on {} endpoint(s)", assemblers.size(), connections.size());
    }

    /** Closes every session and stops sampling. Idempotent. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        for (UpstreamConnection c : connections.values()) {
            c.stop();
        }
        for (SampleAssembler a : assemblers.values()) {
            a.close();
        }
        sampler.shutdownNow();
        try {
            sampler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Whether the endpoint of a well currently has a session and subscription. */
    public boolean isConnected(String wellId) {
        return assembler(wellId).isConnected();
    }

    /** The assembler of a well. */
    public SampleAssembler assembler(String wellId) {
        SampleAssembler a = assemblers.get(wellId);
        if (a == null) {
            throw new IllegalArgumentException("unknown well '" + wellId + "'");
        }
        return a;
    }

    /** Connections by endpoint URL. */
    public Map<String, UpstreamConnection> connections() {
        return Collections.unmodifiableMap(connections);
    }
}
