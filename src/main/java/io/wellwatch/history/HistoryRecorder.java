package io.wellwatch.history;

import io.wellwatch.core.Assessment;
import io.wellwatch.core.DetectorListener;
import io.wellwatch.core.ModelTrained;
import org.eclipse.milo.opcua.stack.core.StatusCodes;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link DetectorListener} that feeds the {@link HistoryStore}: every change of RiskLevel,
 * Loss, Tolerance and ModelVersion of a well (value or status, as the server publishes them: Good,
 * Uncertain_LastUsableValue while a value is held, Bad_WaitingForInitialData before the first,
 * Bad_NoCommunication while the PLC connection is down) and every model retraining.
 *
 * <p>Runs on the scoring thread: a few comparisons and at most a few non-blocking queue offers per
 * sample; never throws, never waits for the database.
 */
public final class HistoryRecorder implements DetectorListener {

    public static final String RISK_LEVEL = "RiskLevel";
    public static final String LOSS = "Loss";
    public static final String TOLERANCE = "Tolerance";
    public static final String MODEL_VERSION = "ModelVersion";
    /** The recorded variables, in contract order. */
    public static final java.util.List<String> VARIABLES = java.util.List.of(RISK_LEVEL, LOSS, TOLERANCE, MODEL_VERSION);

    private static final long GOOD = StatusCodes.Good;
    private static final long LAST_USABLE = StatusCodes.Uncertain_LastUsableValue;
    private static final long WAITING = StatusCodes.Bad_WaitingForInitialData;
    private static final long NO_COMMUNICATION = StatusCodes.Bad_NoCommunication;
    private static final int MODEL_RETRAINED_SEVERITY = 100;

    private final HistoryStore store;
    private final Clock clock;
    private final Map<String, WellState> wells = new ConcurrentHashMap<>();

    public HistoryRecorder(HistoryStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void onAssessment(Assessment a) {
        try {
            WellState well = wells.computeIfAbsent(a.wellId(), id -> new WellState());
            synchronized (well) {
                if (!well.connected) {
                    return;
                }
                Instant t = a.sampleTime() == null ? clock.instant() : a.sampleTime();
                boolean held = a.judgedRisk() == null; // Invalid, or warming up: the last judgement is held
                record(a.wellId(), well.risk, RISK_LEVEL, held ? null : (double) a.judgedRisk().ordinal(), t, true);
                record(a.wellId(), well.loss, LOSS, held ? null : finite(a.loss()), t, true);
                record(a.wellId(), well.tolerance, TOLERANCE, finite(a.tolerance()), t, true);
                record(a.wellId(), well.modelVersion, MODEL_VERSION, (double) Math.max(0, a.modelVersion()), t, false);
            }
        } catch (RuntimeException e) {
            // History must never disturb detection.
        }
    }

    @Override
    public void onConnectionState(String wellId, boolean connected) {
        try {
            WellState well = wells.computeIfAbsent(wellId, id -> new WellState());
            synchronized (well) {
                if (well.connected == connected) {
                    return;
                }
                well.connected = connected;
                if (!connected) {
                    Instant t = clock.instant();
                    for (Series s : new Series[] {well.risk, well.loss, well.tolerance, well.modelVersion}) {
                        if (s.recorded) {
                            put(wellId, s, s.variable, s.value, NO_COMMUNICATION, t);
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            // as above
        }
    }

    @Override
    public void onModelTrained(ModelTrained e) {
        try {
            Instant t = e.trainedAt() == null ? clock.instant() : e.trainedAt();
            store.offer(new EventRecord(e.wellId(), t, EventRecord.MODEL_RETRAINED, MODEL_RETRAINED_SEVERITY,
                    String.format(Locale.ROOT, "%s: model v%d trained for valve state %s on %d samples",
                            e.wellId(), e.modelVersion(), e.valveState(), e.sampleCount()),
                    e.modelVersion(), e.valveState(), finite(e.tolerance()), finite(e.trainingLoss()), e.sampleCount()));
        } catch (RuntimeException ex) {
            // as above
        }
    }

    /** Records {@code value} (Good), or the held value when it is null and {@code holds}; only changes. */
    private void record(String wellId, Series s, String variable, Double value, Instant t, boolean holds) {
        Double v;
        long status;
        if (value != null || !holds) {
            v = value;
            status = GOOD;
            s.lastGood = value;
        } else if (s.lastGood != null) {
            v = s.lastGood;
            status = LAST_USABLE;
        } else {
            v = null;
            status = WAITING;
        }
        if (s.recorded && s.status == status && Objects.equals(s.value, v)) {
            return;
        }
        put(wellId, s, variable, v, status, t);
    }

    private void put(String wellId, Series s, String variable, Double v, long status, Instant t) {
        s.recorded = true;
        s.value = v;
        s.status = status;
        store.offer(new ValueRecord(wellId, variable, t, v, status));
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static final class WellState {
        boolean connected = true;
        final Series risk = new Series(RISK_LEVEL);
        final Series loss = new Series(LOSS);
        final Series tolerance = new Series(TOLERANCE);
        final Series modelVersion = new Series(MODEL_VERSION);
    }

    private static final class Series {
        final String variable;
        boolean recorded;
        Double value;
        long status;
        Double lastGood;

        Series(String variable) {
            this.variable = variable;
        }
    }
}
