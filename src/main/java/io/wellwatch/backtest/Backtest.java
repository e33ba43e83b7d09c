package io.wellwatch.backtest;

import io.wellwatch.config.WellConfig;
import io.wellwatch.core.AlarmDebouncer;
import io.wellwatch.core.Assessment;
import io.wellwatch.core.DetectorListener;
import io.wellwatch.core.ForecasterFactory;
import io.wellwatch.core.ModelRepository;
import io.wellwatch.core.ModelTrained;
import io.wellwatch.core.Quality;
import io.wellwatch.core.RawSample;
import io.wellwatch.core.RiskLevel;
import io.wellwatch.core.TagReading;
import io.wellwatch.core.WellDetector;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.IntConsumer;

/**
 * Replays a {@link Recording} into the same {@link WellDetector} and {@link AlarmDebouncer} the
 * server runs (no OPC UA in between). Samples are taken as the server's sample assembler takes
 * them: every sampling period of data time, the latest row, and only if a new row came since the
 * previous sample; an empty cell is a Bad reading. The one difference: training runs on the
 * replaying thread, so a model goes into service at the sample that scheduled it (on a server it
 * follows some seconds later) and results are reproducible.
 */
public final class Backtest {

    private final WellConfig well;
    private final ForecasterFactory factory;
    private final ModelRepository repository;

    public Backtest(WellConfig well, ForecasterFactory factory, ModelRepository repository) {
        this.well = well;
        this.factory = factory;
        this.repository = repository;
    }

    /** One sample: its 1-based data row, time, label, assessment and the debounced alarm level after it. */
    public record Step(int row, Instant time, int label, Assessment assessment, RiskLevel alarmLevel) {
    }

    /**
     * A (re)training at data time {@code time}; {@code accepted} false when the detector did not put
     * it in service (tolerance grown too much, see {@code maxToleranceGrowth}); its figures are then NaN.
     */
    public record Retraining(Instant time, int version, double tolerance, double trainingLoss, int samples,
                             boolean accepted) {
    }

    /**
     * @param learningSeconds wall time spent training (all trainings, put in service or not)
     * @param wallSeconds     wall time of the whole replay
     */
    public record Result(Recording recording, Duration samplingPeriod, List<Step> steps, List<Retraining> retrainings,
                         double learningSeconds, double wallSeconds) {
    }

    /** The data rows that become samples; {@code period} of data time apart (see the class comment). */
    public static int[] sampledRows(Instant[] times, Duration period) {
        int[] rows = new int[times.length];
        int n = 0;
        int row = 0;
        Instant tick = times[0];
        while (row < times.length) {
            // the latest row at or before the tick
            int latest = -1;
            while (row < times.length && !times[row].isAfter(tick)) {
                latest = row++;
            }
            if (latest >= 0) {
                rows[n++] = latest;
            }
            if (row < times.length && times[row].isAfter(tick.plus(period))) {
                // a gap in the data: no samples until rows come again (the server emits none either)
                long skipped = Duration.between(tick, times[row]).toNanos() / period.toNanos();
                tick = tick.plus(period.multipliedBy(skipped));
            } else {
                tick = tick.plus(period);
            }
        }
        return java.util.Arrays.copyOf(rows, n);
    }

    /**
     * Replays the whole recording.
     *
     * @param progress told after every sample (may be called often; keep it cheap)
     */
    public Result run(Recording rec, Duration period, IntConsumer progress) {
        long started = System.nanoTime();
        List<Step> steps = new ArrayList<>();
        List<Retraining> retrainings = new ArrayList<>();
        AlarmDebouncer alarm = AlarmDebouncer.of(well.detector());
        DataClock clock = new DataClock(rec.times()[0]);
        // The server's alarm runtime is fed every published assessment, including the re-publication
        // when a new model goes into service; so is this one.
        DetectorListener listener = new DetectorListener() {
            @Override
            public void onAssessment(Assessment a) {
                alarm.offer(a);
            }

            @Override
            public void onModelTrained(ModelTrained e) {
                retrainings.add(new Retraining(clock.instant(), e.modelVersion(), e.tolerance(), e.trainingLoss(),
                        e.sampleCount(), true));
            }
        };
        long[] learningNanos = {0};
        Executor timedInline = job -> {
            long t0 = System.nanoTime();
            job.run();
            learningNanos[0] += System.nanoTime() - t0;
        };
        WellDetector detector = new WellDetector(well, factory, repository, timedInline, listener, clock);
        try {
            int sensors = well.sensors().size();
            int valves = well.valves().size();
            for (int row : sampledRows(rec.times(), period)) {
                Instant t = rec.times()[row];
                clock.set(t);
                TagReading[] s = new TagReading[sensors];
                for (int i = 0; i < sensors; i++) {
                    s[i] = reading(rec.sensors()[i][row], t);
                }
                TagReading[] v = new TagReading[valves];
                for (int i = 0; i < valves; i++) {
                    v[i] = rec.valves()[i] == null ? TagReading.good(1, t) : reading(rec.valves()[i][row], t);
                }
                long rejectedBefore = detector.rejectedTrainings();
                Assessment a = detector.onSample(new RawSample(well.id(), t, s, v));
                if (detector.rejectedTrainings() > rejectedBefore) {
                    retrainings.add(new Retraining(t, 0, Double.NaN, Double.NaN, a.samplesBuffered(), false));
                }
                steps.add(new Step(row + 1, t, rec.labels()[row], a, alarm.level()));
                progress.accept(1);
            }
        } finally {
            detector.close();
        }
        return new Result(rec, period, steps, retrainings, learningNanos[0] / 1e9, (System.nanoTime() - started) / 1e9);
    }

    /** An empty cell is what a PLC reports as a Bad value. */
    private static TagReading reading(double value, Instant t) {
        return Double.isNaN(value) ? new TagReading(value, Quality.BAD, t) : TagReading.good(value, t);
    }

    /** Data time: the time of the sample being replayed, so models are stamped with it. */
    private static final class DataClock extends Clock {
        private volatile Instant now;

        DataClock(Instant start) {
            now = start;
        }

        void set(Instant t) {
            now = t;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("data time is UTC");
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
