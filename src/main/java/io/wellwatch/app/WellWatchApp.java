package io.wellwatch.app;

import io.wellwatch.config.AppConfig;
import io.wellwatch.config.WellConfig;
import io.wellwatch.core.Assessment;
import io.wellwatch.core.DataState;
import io.wellwatch.core.DetectorListener;
import io.wellwatch.core.InputProblem;
import io.wellwatch.core.TrainingOutcome;
import io.wellwatch.core.ForecasterFactory;
import io.wellwatch.core.ModelTrained;
import io.wellwatch.core.RawSample;
import io.wellwatch.core.RetrainOutcome;
import io.wellwatch.core.SampleSink;
import io.wellwatch.core.TrainingJob;
import io.wellwatch.core.WellDetector;
import io.wellwatch.history.HistoryRecorder;
import io.wellwatch.history.HistoryStore;
import io.wellwatch.metrics.MetricsEndpoint;
import io.wellwatch.metrics.WellWatchMetrics;
import io.wellwatch.model.Dl4jForecasterFactory;
import io.wellwatch.model.FileModelStore;
import io.wellwatch.server.WellWatchServer;
import io.wellwatch.upstream.UpstreamManager;
import io.wellwatch.upstream.UpstreamSecurity;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The composition root: model store, detectors, the OPC UA server and the upstream PLC
 * connections, wired from one {@link AppConfig}. Used by the CLI and by the end-to-end tests.
 */
public final class WellWatchApp implements AutoCloseable {

    private static final Logger log = LogManager.getLogger(WellWatchApp.class);

    private final AppConfig config;
    private final ExecutorService training;
    private final WellWatchServer server;
    private final Map<String, WellDetector> detectors = new LinkedHashMap<>();
    private final UpstreamManager upstream;
    private final HistoryStore history;
    /** Null when metrics are off (no metrics.port). */
    private final WellWatchMetrics metrics;
    private MetricsEndpoint metricsEndpoint;
    private ConfigWatcher configWatcher;
    /** Held from start to close: no second WellWatch on the same model directory. */
    private final InstanceLock instanceLock;

    private WellWatchApp(AppConfig config, Path pkiDir, List<DetectorListener> extraListeners,
                         InstanceLock instanceLock) throws Exception {
        this.config = config;
        this.instanceLock = instanceLock;
        ForecasterFactory factory = new Dl4jForecasterFactory();
        FileModelStore store = new FileModelStore(Path.of(config.storage().modelDir()), factory);
        // One training thread: on a 2-core machine the other core stays free for scoring and OPC UA.
        this.training = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "wellwatch-training");
            t.setDaemon(true);
            t.setPriority(Thread.NORM_PRIORITY - 1);
            return t;
        });
        this.server = new WellWatchServer(config.server(), config.security(), pkiDir);
        this.history = openHistory(config);
        List<DetectorListener> listeners = new java.util.ArrayList<>(extraListeners);
        if (history != null) {
            listeners.add(new HistoryRecorder(history, Clock.systemUTC()));
            server.setHistory(history);
        } else {
            server.setHistoryUnavailable(config.history().jdbcUrl(), config.history().enabled()
                    ? "the history database could not be opened (see the log)" : "history is disabled");
        }
        this.metrics = config.metrics().enabled() ? newMetrics(config, store) : null;
        if (metrics != null) {
            listeners.add(metrics);
        }
        DetectorListener listener = fanOut(server.listener(), listeners);
        server.setAlarmStateDirectories(store::wellDirectory);
        for (WellConfig well : config.wells()) {
            server.addWell(well.id(), well.detector());
            detectors.put(well.id(), new WellDetector(well, factory, store, training, listener, Clock.systemUTC()));
        }
        server.setRetrainRequester(this::requestRetrain);
        // The PLC sessions use the server's application certificate and trust lists.
        this.upstream = new UpstreamManager(config.wells(), new DetectorSink(),
                UpstreamSecurity.of(config.security().upstream(), server.pki(), WellWatchServer.APPLICATION_URI),
                config.upstream());
    }

    /** Starts the server, then the upstream connections (which retry on their own if a PLC is down). */
    public static WellWatchApp start(AppConfig config, Path pkiDir, List<DetectorListener> extraListeners) throws Exception {
        InstanceLock lock = InstanceLock.acquire(Path.of(config.storage().modelDir()));
        WellWatchApp app;
        try {
            app = new WellWatchApp(config, pkiDir, extraListeners, lock);
        } catch (Exception | Error e) {
            lock.close();
            throw e;
        }
        try {
            app.server.start();
            if (app.metrics != null) {
                app.metricsEndpoint = MetricsEndpoint.start(config.metrics(), app.metrics.registry());
            }
            app.upstream.start();
        } catch (Exception e) {
            app.close();
            throw e;
        }
        log.info("WellWatch serving {} well(s) at {}", app.detectors.size(), config.server().endpointUrl());
        return app;
    }

    public String endpointUrl() {
        return config.server().endpointUrl();
    }

    public Collection<WellDetector> detectors() {
        return detectors.values();
    }

    public WellDetector detector(String wellId) {
        return detectors.get(wellId);
    }

    /** The server's Retrain methods land here: delegates to the well's detector. */
    public RetrainOutcome requestRetrain(String wellId) {
        WellDetector d = detectors.get(wellId);
        return d == null ? new RetrainOutcome(false, "unknown well '" + wellId + "'") : d.requestRetrain();
    }

    public WellWatchServer server() {
        return server;
    }

    /** The history store, or null when history is disabled or its database could not be opened. */
    public HistoryStore history() {
        return history;
    }

    private WellWatchMetrics newMetrics(AppConfig config, FileModelStore store) {
        WellWatchMetrics m = new WellWatchMetrics(config.wells(), id -> detectors.get(id).activeModelCount());
        m.addCounter("wellwatch_model_versions_skipped", "Damaged or incompatible model versions skipped at load",
                store::skippedVersions);
        if (history != null) {
            m.addCounter("wellwatch_history_rows_written", "History rows written to the database", history::writtenRows);
            m.addCounter("wellwatch_history_rows_dropped",
                    "History rows lost (queue full, database locked, full or unreachable)", history::droppedRows);
            m.addCounter("wellwatch_history_write_failures",
                    "History batches that failed to write (database locked, full or unreachable)", history::writeFailures);
        }
        return m;
    }

    /** The metrics, or null when off. */
    public WellWatchMetrics metrics() {
        return metrics;
    }

    /** The metrics endpoint's URL, or null when off. */
    public String metricsUrl() {
        return metricsEndpoint == null ? null : metricsEndpoint.url();
    }

    /**
     * Watches the config file this app was started from ({@code loaded} is what was read from it,
     * before any command-line overrides): changes are validated and reported, never applied.
     */
    public void watchConfig(Path file, AppConfig loaded) {
        try {
            configWatcher = new ConfigWatcher(file, loaded, valid -> {
                if (metrics != null) {
                    metrics.configReloaded(valid);
                }
            });
        } catch (java.io.IOException e) {
            log.warn("Cannot watch the config file {} for changes: {}", file, e.toString());
        }
    }

    /** History is an add-on: a database that cannot be opened is logged and detection runs without it. */
    private static HistoryStore openHistory(AppConfig config) {
        if (!config.history().enabled()) {
            log.info("History disabled (history.enabled: false)");
            return null;
        }
        try {
            return new HistoryStore(config.history(), Clock.systemUTC());
        } catch (java.sql.SQLException | RuntimeException e) {
            log.error("History store {} cannot be opened, running without history: {}",
                    config.history().jdbcUrl(), e.getMessage());
            return null;
        }
    }

    @Override
    public void close() {
        if (configWatcher != null) {
            configWatcher.close();
        }
        detectors.values().forEach(WellDetector::close);
        try {
            upstream.close();
        } catch (Exception e) {
            log.warn("closing upstream connections: {}", e.toString());
        }
        for (Runnable queued : training.shutdownNow()) {
            if (queued instanceof TrainingJob job) {
                log.info("{} abandoned before it started: shutting down", job.description());
            }
        }
        try {
            training.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            server.close();
        } catch (Exception e) {
            log.warn("stopping server: {}", e.toString());
        }
        if (history != null) {
            history.close();
        }
        if (metricsEndpoint != null) {
            metricsEndpoint.close();
        }
        instanceLock.close();
    }

    /** Routes upstream samples to the detector of their well; a failure never stops the sample flow. */
    private final class DetectorSink implements SampleSink {
        @Override
        public void onSample(RawSample sample) {
            WellDetector d = detectors.get(sample.wellId());
            if (d == null) {
                return;
            }
            try {
                d.onSample(sample);
            } catch (RuntimeException e) {
                log.error("{}: sample processing failed", sample.wellId(), e);
            }
        }

        @Override
        public void onConnectionState(String wellId, boolean connected) {
            WellDetector d = detectors.get(wellId);
            if (d != null) {
                d.onConnectionState(connected);
            }
        }

        @Override
        public void onBadReading(String wellId, InputProblem problem, String detail) {
            WellDetector d = detectors.get(wellId);
            if (d != null) {
                d.onBadReading(problem, detail);
            }
        }
    }

    private static DetectorListener fanOut(DetectorListener first, List<DetectorListener> more) {
        List<DetectorListener> all = new java.util.ArrayList<>();
        all.add(first);
        all.addAll(more);
        return new DetectorListener() {
            @Override
            public void onAssessment(Assessment a) {
                for (DetectorListener l : all) {
                    l.onAssessment(a);
                }
            }

            @Override
            public void onConnectionState(String wellId, boolean connected) {
                for (DetectorListener l : all) {
                    l.onConnectionState(wellId, connected);
                }
            }

            @Override
            public void onModelTrained(ModelTrained e) {
                for (DetectorListener l : all) {
                    l.onModelTrained(e);
                }
            }

            @Override
            public void onSampleProcessed(String wellId, DataState state, InputProblem problem, long nanos) {
                for (DetectorListener l : all) {
                    l.onSampleProcessed(wellId, state, problem, nanos);
                }
            }

            @Override
            public void onBadReading(String wellId, InputProblem problem) {
                for (DetectorListener l : all) {
                    l.onBadReading(wellId, problem);
                }
            }

            @Override
            public void onTrainingFinished(String wellId, String valveState, TrainingOutcome outcome, long millis) {
                for (DetectorListener l : all) {
                    l.onTrainingFinished(wellId, valveState, outcome, millis);
                }
            }
        };
    }
}
