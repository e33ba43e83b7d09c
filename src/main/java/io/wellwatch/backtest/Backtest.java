package io.wellwatch.backtest;

import io.wellwatch.config.WellConfig;
import io.wellwatch.core.AlarmDebouncer;
import io.wellwatch.core.Assessment;
import io.wellwatch.core.DataState;
import io.wellwatch.core.RiskLevel;
import io.wellwatch.core.DetectorListener;
import io.wellwatch.core.ForecasterFactory;
import io.wellwatch.core.ModelRepository;
import io.wellwatch.core.ModelTrained;
import io.wellwatch.core.RawSample;
import io.wellwatch.core.TagReading;
import io.wellwatch.core.WellDetector;
import io.wellwatch.sim.ThreeWCsv;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays a 3W CSV straight into the same {@link WellDetector} the server runs (no OPC UA in
 * between), one sample every {@code stride} rows, training synchronously so results are
 * reproducible. Valve states are taken as all-configured-valves open unless the CSV carries
 * {@code ESTADO-<valve>} columns.
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

    /** One scored row: its 1-based data row (as in the 3W READMEs), label, assessment and debounced alarm level. */
    public record Step(int row, int label, Assessment assessment, RiskLevel alarmLevel) {
    }

    public record Result(List<Step> steps, List<ModelTrained> trainings) {
    }

    public Result run(ThreeWCsv csv, int stride) {
        return run(csv, stride, csv.rowCount());
    }

    /** Replays the first {@code rows} rows only. */
    public Result run(ThreeWCsv csv, int stride, int rows) {
        List<Step> steps = new ArrayList<>();
        List<ModelTrained> trainings = new ArrayList<>();
        DetectorListener listener = new DetectorListener() {
            @Override
            public void onAssessment(Assessment a) {
            }

            @Override
            public void onModelTrained(ModelTrained e) {
                trainings.add(e);
            }
        };
        Clock clock = Clock.fixed(csv.firstTimestamp(), ZoneOffset.UTC);
        WellDetector detector = new WellDetector(well, factory, repository, Runnable::run, listener, clock);
        AlarmDebouncer alarm = new AlarmDebouncer(well.detector().raiseSamples(), well.detector().clearSamples());
        int[] sensorCols = well.sensors().stream().mapToInt(s -> csv.columnIndex(s.name())).toArray();
        int[] valveCols = well.valves().stream()
                .mapToInt(v -> csv.hasColumn("ESTADO-" + v.name()) ? csv.columnIndex("ESTADO-" + v.name()) : -1).toArray();
        for (int row = 0; row < Math.min(rows, csv.rowCount()); row += stride) {
            Instant t = csv.timestamp(row);
            TagReading[] sensors = new TagReading[sensorCols.length];
            for (int i = 0; i < sensorCols.length; i++) {
                double v = csv.value(row, sensorCols[i]);
                sensors[i] = Double.isNaN(v) ? new TagReading(v, io.wellwatch.core.Quality.BAD, t) : TagReading.good(v, t);
            }
            TagReading[] valves = new TagReading[valveCols.length];
            for (int i = 0; i < valveCols.length; i++) {
                valves[i] = TagReading.good(valveCols[i] < 0 ? 1 : csv.value(row, valveCols[i]), t);
            }
            Assessment a = detector.onSample(new RawSample(well.id(), t, sensors, valves));
            alarm.offer(a.dataState() == DataState.INVALID ? null : a.riskLevel());
            steps.add(new Step(row + 1, csv.label(row), a, alarm.level()));
        }
        return new Result(steps, trainings);
    }
}
