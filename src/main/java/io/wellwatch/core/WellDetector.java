package io.wellwatch.core;

import io.wellwatch.config.DetectorConfig;
import io.wellwatch.config.SensorConfig;
import io.wellwatch.config.WellConfig;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The detector of one well: validates each sample, picks the model of its valve state, scores,
 * decides Normal / Analyzing / Invalid, buffers normal samples and schedules (re)training in the
 * background. {@link #onSample} is the hot path; it never waits for a training, only for the
 * microseconds in which a trained model is swapped in (see {@link #install}).
 */
public final class WellDetector {

    private static final Logger log = LogManager.getLogger(WellDetector.class);

    private final WellConfig well;
    private final DetectorConfig cfg;
    private final SampleValidator validator;
    private final RiskPolicy riskPolicy;
    private final ToleranceRule toleranceRule;
    private final TrainingSettings trainingSettings;
    private final ForecasterFactory factory;
    private final ModelRepository repository;
    private final Executor trainingExecutor;
    private final DetectorListener listener;
    private final Clock clock;
    private final List<String> sensorNames;
    private final List<String> valveNames;
    private final double[] spans;

    private final Map<String, ValveStateModel> states = new HashMap<>();
    private final double[] values;
    private final int[] valveStates;
    /** Recent consecutive valid rows of the current valve state, to warm up a newly trained model. */
    private final RecentRows recent;
    private String currentKey = "";
    /** Continuity of the data was broken (invalid sample, lost PLC, valve change): reset before scoring. */
    private boolean gap = true;
    /** Length of the current run of invalid samples, so a run is logged once, not per sample. */
    private long invalidRun;
    private Instant invalidSince;
    /**
     * A run of invalid samples this long is logged (start and end); shorter blips, e.g. a PLC that
     * sends garbage now and then, are only counted, and each kind is logged the first time.
     */
    static final int LOGGED_INVALID_RUN = 20;

    private volatile Assessment last;
    /** Sample time of the latest sample a model judged, for the status line. */
    private volatile Instant lastJudged;
    private volatile long normalCount;
    private volatile long analyzingCount;
    private volatile long invalidCount;
    private volatile long learnedCount;
    private volatile String lastInvalidReason = "";
    /** Why the latest training of any valve state failed or was skipped; "" once a model went into service. */
    private volatile String trainingProblem = "";
    private volatile boolean connected = true;
    /** Null until the upstream adapter first reports, so the first report reads "connected", not "restored". */
    private Boolean reported;
    private volatile Instant disconnectedSince;
    private volatile boolean closed;
    private volatile long rejectedTrainings;
    /** Kinds of bad input already logged: each is logged once per run, then only counted. */
    private final Set<InputProblem> loggedProblems = ConcurrentHashMap.newKeySet();

    public WellDetector(WellConfig well, ForecasterFactory factory, ModelRepository repository,
                        Executor trainingExecutor, DetectorListener listener, Clock clock) {
        this.well = well;
        this.cfg = well.detector();
        this.validator = new SampleValidator(well);
        this.riskPolicy = new RiskPolicy(cfg.risk());
        this.toleranceRule = new ToleranceRule(cfg.toleranceQuantile(), cfg.toleranceMargin(),
                cfg.toleranceFloor(), cfg.lossWindow(), cfg.lookback());
        this.trainingSettings = new TrainingSettings(cfg.lookback(), cfg.lstmUnits(), cfg.epochs(),
                cfg.batchSize(), cfg.learningRate(), cfg.seed(), DetectorConfig.TRAINER_DL4J.equals(cfg.trainer())
                        ? TrainingSettings.Trainer.DL4J : TrainingSettings.Trainer.JAVA);
        this.factory = factory;
        this.repository = repository;
        this.trainingExecutor = trainingExecutor;
        this.listener = listener;
        this.clock = clock;
        this.sensorNames = well.sensorNames();
        this.valveNames = well.valveNames();
        this.spans = well.sensors().stream().mapToDouble(SensorConfig::span).toArray();
        this.values = new double[sensorNames.size()];
        this.valveStates = new int[valveNames.size()];
        this.recent = new RecentRows(cfg.lookback(), sensorNames.size());
        loadStoredModels();
    }

    private void loadStoredModels() {
        repository.loadLatest(well.id()).forEach((key, stored) -> {
            if (!stored.info().sensors().equals(sensorNames)) {
                log.warn("{}: stored model v{} of valve state '{}' was trained on sensors {} but the config lists {}; not used",
                        well.id(), stored.info().version(), key, stored.info().sensors(), sensorNames);
                return;
            }
            ValveStateModel vs = stateFor(key);
            vs.active = new ActiveModel(stored, cfg.lossWindow());
            vs.lastVersion = Math.max(stored.info().version(), vs.lastVersion);
            log.info("{}: resumed model v{} of valve state '{}' from disk (tolerance {})",
                    well.id(), stored.info().version(), key, fmt(stored.info().tolerance()));
        });
    }

    public String wellId() {
        return well.id();
    }

    /** Processes one sample: the hot path. Returns the assessment it also gave the listener. */
    public synchronized Assessment onSample(RawSample sample) {
        long started = System.nanoTime();
        Assessment a = assess(sample);
        listener.onSampleProcessed(well.id(), a.dataState(),
                a.dataState() == DataState.INVALID ? validator.lastProblem() : null, System.nanoTime() - started);
        return a;
    }

    /**
     * The upstream adapter dropped or coalesced a bad reading of this well before it reached a
     * sample: counted, and logged the first time its kind occurs.
     */
    public void onBadReading(InputProblem problem, String detail) {
        logFirst(problem, detail);
        listener.onBadReading(well.id(), problem);
    }

    private void logFirst(InputProblem problem, String detail) {
        if (problem != null && loggedProblems.add(problem)) {
            log.warn("{}: bad input from the PLC ({}): {}; further ones of this kind are counted"
                    + " (metric wellwatch_bad_input_total), not logged", well.id(), problem.label(), detail);
        }
    }

    private Assessment assess(RawSample sample) {
        String reason = validator.check(sample, values, valveStates);
        if (reason != null) {
            return invalid(sample, reason);
        }
        if (invalidRun > 0) {
            if (invalidRun >= LOGGED_INVALID_RUN) {
                log.info("{}: samples valid again after {} invalid", well.id(), invalidRun);
            }
            invalidRun = 0;
        }
        String key = ValveStateKey.of(valveNames, valveStates);
        if (!key.equals(currentKey)) {
            log.info("{}: valve state '{}' -> '{}'", well.id(), currentKey, key);
            currentKey = key;
            gap = true;
        }
        ValveStateModel vs = stateFor(key);
        if (gap) {
            recent.clear();
            if (vs.active != null) {
                vs.active.reset();
            }
            vs.follows = false;
            gap = false;
        }
        recent.add(values);

        ActiveModel m = vs.active;
        DataState state = DataState.NORMAL;
        boolean judged = false;
        double loss = Double.NaN;
        RiskLevel risk = RiskLevel.NORMAL;
        String top = "";
        if (m != null) {
            m.advance(values, cfg.lookback());
            if (m.loss.isFull()) {
                judged = true;
                loss = m.loss.loss();
                risk = riskPolicy.level(loss, m.tolerance());
                top = sensorNames.get(m.loss.topContributor());
                if (riskPolicy.isAboveTolerance(loss, m.tolerance())) {
                    state = DataState.ANALYZING;
                    vs.holdoff = cfg.relearnHoldoff();
                }
                m.lastLoss = loss;
                m.lastRisk = risk;
                m.lastTop = top;
            } else {
                // Warming up after a reset: not judged yet, so the last judgement stands.
                loss = m.lastLoss;
                risk = m.lastRisk;
                top = m.lastTop;
            }
        }
        if (state == DataState.ANALYZING) {
            analyzingCount++;
            vs.follows = false;
        } else {
            normalCount++;
            // Only samples the model has vouched for (or any valid one before the first model) are
            // learned, and not the tail of an Analyzing episode: a fault that fades slowly looks
            // normal to the model well before it is over.
            boolean learn = m == null || judged && vs.holdoff == 0;
            if (judged && vs.holdoff > 0) {
                vs.holdoff--;
            }
            if (!learn) {
                // Scored but left out: the window's next sample does not follow its newest one.
                vs.follows = false;
            } else {
                learnedCount++;
                vs.window.add(values, sample.time(), vs.follows);
                vs.follows = true;
                vs.newSinceTraining++;
                if (vs.newSinceTraining >= cfg.retrainInterval() && vs.window.size() >= cfg.minTrainingSamples()
                        && !vs.training) {
                    scheduleTraining(vs);
                }
            }
        }
        // Without a model nothing is judged: RiskLevel is not a Good "Normal" for a well nobody
        // watches yet (it stays Bad_WaitingForInitialData, or holds a judgement of another valve state).
        return publish(sample.time(), state, risk, loss, top, vs, judged);
    }

    private Assessment invalid(RawSample sample, String reason) {
        invalidCount++;
        logFirst(validator.lastProblem(), reason);
        if (invalidRun++ == 0) {
            invalidSince = sample.time();
        }
        if (invalidRun == LOGGED_INVALID_RUN) {
            log.info("{}: samples invalid since {} ({} so far): {}", well.id(), invalidSince, invalidRun, reason);
        }
        lastInvalidReason = reason;
        gap = true;
        ValveStateModel vs = states.get(currentKey);
        ActiveModel m = vs == null ? null : vs.active;
        return publish(sample.time() == null ? clock.instant() : sample.time(), DataState.INVALID,
                m == null ? RiskLevel.NORMAL : m.lastRisk,
                m == null ? Double.NaN : m.lastLoss,
                m == null ? "" : m.lastTop, vs, false);
    }

    private Assessment publish(Instant time, DataState state, RiskLevel risk, double loss, String top, ValveStateModel vs,
                               boolean judged) {
        ActiveModel m = vs == null ? null : vs.active;
        Assessment a = new Assessment(well.id(), time, state, risk, loss,
                m == null ? Double.NaN : m.tolerance(),
                m == null ? 0 : m.version(),
                currentKey,
                vs == null ? 0 : vs.window.size(),
                cfg.windowSize(),
                m == null ? null : m.stored.info().trainedAt(),
                top,
                judged);
        last = a;
        if (judged && m != null) {
            lastJudged = time;
        }
        AssessmentPublishedEvent event = new AssessmentPublishedEvent();
        event.begin();
        listener.onAssessment(a);
        event.end();
        if (event.shouldCommit()) {
            event.wellId = well.id();
            event.sampleTimeMillis = time == null ? 0 : time.toEpochMilli();
            event.commit();
        }
        return a;
    }

    /** The well's PLC connection went down or came back. */
    public synchronized void onConnectionState(boolean up) {
        if (reported == null) {
            if (up) {
                log.info("{}: PLC connected", well.id());
            } else {
                log.warn("{}: PLC not reachable; values are Bad_NoCommunication until it is", well.id());
            }
        } else if (up != reported) {
            if (up) {
                log.info("{}: PLC connection restored", well.id());
            } else {
                log.warn("{}: PLC connection lost; values are Bad_NoCommunication until it is back", well.id());
            }
        }
        reported = up;
        connected = up;
        if (!up) {
            gap = true;
            if (disconnectedSince == null) {
                disconnectedSince = clock.instant();
            }
        } else {
            disconnectedSince = null;
        }
        listener.onConnectionState(well.id(), up);
    }

    /** Operator's request: train now on the buffered normal samples of the current valve state. */
    public synchronized RetrainOutcome requestRetrain() {
        ValveStateModel vs = states.get(currentKey);
        if (vs == null) {
            return RetrainOutcome.refused(well.id() + ": no valid sample yet, so no valve state to train");
        }
        if (vs.training) {
            return RetrainOutcome.refused(well.id() + ": a training is already running for valve state '" + vs.key + "'");
        }
        if (vs.window.size() < cfg.minTrainingSamples()) {
            return RetrainOutcome.refused(well.id() + ": only " + vs.window.size() + " normal samples buffered for valve state '"
                    + vs.key + "', at least " + cfg.minTrainingSamples() + " needed");
        }
        TrainingWindow.Snapshot snapshot = vs.window.snapshot();
        ContiguousRuns usable = trainable(snapshot);
        if (usable.rows().length < cfg.minTrainingSamples()) {
            return RetrainOutcome.refused(tooFewContiguous(vs, snapshot, usable));
        }
        startTraining(vs, snapshot, usable, "requested by operator", true);
        return RetrainOutcome.accepted(well.id() + ": training started on " + usable.rows().length + " samples");
    }

    /** Stops putting models in service; a training still running is abandoned quietly. */
    public void close() {
        closed = true;
    }

    /** Scheduled retrainings not put in service because their tolerance grew too much. */
    public long rejectedTrainings() {
        return rejectedTrainings;
    }

    public WellStatus status() {
        ValveStateModel vs = states.get(currentKey);
        return new WellStatus(last, normalCount, analyzingCount, invalidCount, vs != null && vs.training,
                lastInvalidReason, connected, disconnectedSince, learnedCount, lastJudged, trainingProblem);
    }

    /** Valve states of this well that have a model in service. */
    public synchronized int activeModelCount() {
        int n = 0;
        for (ValveStateModel vs : states.values()) {
            if (vs.active != null) {
                n++;
            }
        }
        return n;
    }

    private ValveStateModel stateFor(String key) {
        return states.computeIfAbsent(key, k -> {
            ValveStateModel vs = new ValveStateModel(k, cfg.windowSize(), sensorNames.size());
            // Versions never repeat: count from the highest one on disk, loadable or not (a damaged
            // or foreign version that was skipped still holds its number).
            vs.lastVersion = repository.latestVersion(well.id(), k);
            return vs;
        });
    }

    /**
     * Puts a freshly trained model in service, called by the training thread. The lock is held for a
     * pointer swap and a warm-up of at most {@code lookback} plain-Java steps (microseconds each), so
     * scoring never waits for a training, only for this hand-over. The model is warmed up on the
     * recent rows so scoring goes on seamlessly, the event is raised at once (also when no sample
     * follows, e.g. an operator's Retrain while the PLC is quiet), and the well's published state
     * shows the new model without waiting for the next sample. Returns false when shutting down.
     */
    private synchronized boolean install(ValveStateModel vs, StoredModel trained) {
        if (closed) {
            return false;
        }
        ActiveModel previous = vs.active;
        ActiveModel m = new ActiveModel(trained, cfg.lossWindow());
        m.reset();
        if (previous != null) {
            m.lastRisk = previous.lastRisk;
            m.lastLoss = previous.lastLoss;
            m.lastTop = previous.lastTop;
        }
        // The recent rows are those since the last reset of scoring (cleared at every gap), so the
        // warm-up never steps across one; with a gap pending there is nothing to warm up on.
        boolean current = vs.key.equals(currentKey) && !gap;
        if (current) {
            recent.forEach(row -> m.advance(row, cfg.lookback()));
        }
        vs.active = m;
        vs.lastVersion = Math.max(vs.lastVersion, trained.info().version());
        if (previous != null) {
            previous.stored.forecaster().close();
        }
        ModelInfo info = trained.info();
        trainingProblem = "";
        log.info("{}: model v{} in service for valve state '{}' (tolerance {}, training loss {}, {} samples)",
                well.id(), info.version(), info.valveState(), fmt(info.tolerance()), fmt(info.trainingLoss()),
                info.sampleCount());
        listener.onModelTrained(new ModelTrained(well.id(), info.valveState(), info.version(), info.tolerance(),
                info.trainingLoss(), info.sampleCount(), info.trainedAt()));
        Assessment a = last;
        if (a != null && vs.key.equals(currentKey)) {
            publish(a.sampleTime(), a.dataState(), a.riskLevel(), a.loss(), a.topContributor(), vs, a.judged());
        }
        return true;
    }

    /**
     * A scheduled training, unless too few samples lie in runs long enough to learn from; then the
     * count starts over and the next scheduled one tries again.
     */
    private void scheduleTraining(ValveStateModel vs) {
        TrainingWindow.Snapshot snapshot = vs.window.snapshot();
        ContiguousRuns usable = trainable(snapshot);
        if (usable.rows().length < cfg.minTrainingSamples()) {
            log.warn("{}; tries again after {} more normal samples", tooFewContiguous(vs, snapshot, usable),
                    cfg.retrainInterval());
            trainingProblem = "training skipped: too few samples without gaps (" + usable.rows().length + " of "
                    + cfg.minTrainingSamples() + "), see log";
            vs.newSinceTraining = 0;
            return;
        }
        startTraining(vs, snapshot, usable, "scheduled after " + vs.newSinceTraining + " new normal samples", false);
    }

    /**
     * The window's runs in which scoring would judge at least one sample (warm-up plus a full loss
     * window without a gap): only they are trained on and give the tolerance. A shorter run teaches
     * nothing scoring could use, and most of it would be warm-up.
     */
    private ContiguousRuns trainable(TrainingWindow.Snapshot snapshot) {
        return snapshot.runs().atLeast(toleranceRule.minRunLength());
    }

    private String tooFewContiguous(ValveStateModel vs, TrainingWindow.Snapshot snapshot, ContiguousRuns usable) {
        return well.id() + ": no training for valve state '" + vs.key + "': only " + usable.rows().length + " of its "
                + snapshot.rows().length + " buffered samples lie in runs of at least " + toleranceRule.minRunLength()
                + " without a gap (invalid sample, lost PLC, valve change or a sample not learned), "
                + cfg.minTrainingSamples() + " needed";
    }

    private void startTraining(ValveStateModel vs, TrainingWindow.Snapshot snapshot, ContiguousRuns usable, String why,
                               boolean byOperator) {
        int version = vs.lastVersion + 1;
        double servingTolerance = vs.active == null || byOperator ? Double.NaN : vs.active.tolerance();
        vs.newSinceTraining = 0;
        vs.training = true;
        log.info("{}: training v{} of valve state '{}' on {} samples in {} runs without a gap ({} buffered; {})",
                well.id(), version, vs.key, usable.rows().length, usable.count(), snapshot.rows().length, why);
        try {
            trainingExecutor.execute(new TrainingJob(well.id() + ": training v" + version + " of '" + vs.key + "'",
                    () -> train(vs, snapshot, usable, version, servingTolerance)));
        } catch (RejectedExecutionException e) {
            vs.training = false;
            log.warn("{}: training executor refused the job (shutting down?)", well.id());
        }
    }

    /**
     * Trains and puts the model in service. A scheduled retraining whose tolerance grew more than
     * {@code maxToleranceGrowth} times over the model in service ({@code servingTolerance}, NaN
     * for a first model or an operator's request) is not used: its window most likely holds the
     * slow tail of an abnormal episode, and learning it would blunt the detector. The operator's
     * Retrain is the explicit way to accept a new normal.
     */
    private void train(ValveStateModel vs, TrainingWindow.Snapshot snapshot, ContiguousRuns usable, int version,
                       double servingTolerance) {
        long started = System.nanoTime();
        TrainingOutcome outcome = TrainingOutcome.FAILED;
        try {
            MinMaxScaler scaler = MinMaxScaler.fit(usable.rows(), spans);
            ContiguousRuns scaledRuns = usable.withRows(scaler.scaleAll(usable.rows()));
            double[][] scaled = scaledRuns.rows();
            TrainedForecaster trained = factory.train(scaledRuns, trainingSettings);
            ToleranceRule.Fit fit = toleranceRule.fit(trained.forecaster(), scaledRuns);
            if (servingTolerance > 0 && fit.tolerance() > cfg.maxToleranceGrowth() * servingTolerance) {
                rejectedTrainings++;
                log.warn("{}: retrained model of valve state '{}' not used: its tolerance {} is more than {}x the {} in service,"
                        + " so its window looks abnormal; call Retrain to accept it as the new normal",
                        well.id(), vs.key, fmt(fit.tolerance()), cfg.maxToleranceGrowth(), fmt(servingTolerance));
                trained.forecaster().close();
                outcome = TrainingOutcome.REJECTED;
                return;
            }
            if (closed) {
                logAbandoned(vs, version);
                outcome = TrainingOutcome.ABANDONED;
                return;
            }
            ModelInfo info = new ModelInfo(well.id(), vs.key, version, clock.instant(), scaled.length,
                    trained.trainingLoss(), fit.tolerance(), snapshot.from(), snapshot.to(), sensorNames,
                    provenance());
            StoredModel model = new StoredModel(info, scaler, trained.forecaster());
            try {
                repository.save(model);
            } catch (IOException | RuntimeException e) {
                if (closed || Thread.currentThread().isInterrupted()) {
                    logAbandoned(vs, version);
                    outcome = TrainingOutcome.ABANDONED;
                    return;
                }
                log.error("{}: model v{} of valve state '{}' could not be saved; it serves until restart: {}",
                        well.id(), version, vs.key, e.toString());
            }
            log.info("{}: trained v{} of '{}' in {} ms", well.id(), version, vs.key,
                    (System.nanoTime() - started) / 1_000_000);
            outcome = install(vs, model) ? TrainingOutcome.IN_SERVICE : TrainingOutcome.ABANDONED;
        } catch (RuntimeException | Error e) {
            if (closed) {
                logAbandoned(vs, version);
                outcome = TrainingOutcome.ABANDONED;
                return;
            }
            // One line on the console; the stack trace is for whoever reads the log at DEBUG.
            log.error("{}: training v{} of valve state '{}' failed: {}{}", well.id(), version, vs.key, e,
                    e instanceof OutOfMemoryError ? " (the network or window is too large for the Java heap, -Xmx;"
                            + " detection goes on with the model in service, the next training is tried after "
                            + cfg.retrainInterval() + " new samples)" : "");
            log.debug("{}: training v{} failure", well.id(), version, e);
            trainingProblem = "training v" + version + " failed: " + e.getClass().getSimpleName() + ", see log";
        } finally {
            vs.training = false;
            listener.onTrainingFinished(well.id(), vs.key, outcome, (System.nanoTime() - started) / 1_000_000);
        }
    }

    private void logAbandoned(ValveStateModel vs, int version) {
        log.info("{}: training v{} of '{}' abandoned: shutting down", well.id(), version, vs.key);
    }

    private Map<String, Object> provenance() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("lookback", cfg.lookback());
        p.put("lstmUnits", cfg.lstmUnits());
        p.put("epochs", cfg.epochs());
        p.put("batchSize", cfg.batchSize());
        p.put("learningRate", cfg.learningRate());
        p.put("seed", cfg.seed());
        p.put("trainer", cfg.trainer());
        p.put("lossWindow", cfg.lossWindow());
        p.put("toleranceQuantile", cfg.toleranceQuantile());
        p.put("toleranceMargin", cfg.toleranceMargin());
        p.put("toleranceFloor", cfg.toleranceFloor());
        p.put("spans", spans.clone());
        p.put("samplingPeriodMs", well.samplingPeriodMs());
        p.put("deeplearning4j", "1.0.0-M2.1");
        return p;
    }

    static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.4f", v);
    }
}
