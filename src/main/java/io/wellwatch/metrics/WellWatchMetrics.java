package io.wellwatch.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.wellwatch.config.WellConfig;
import io.wellwatch.core.AlarmDebouncer;
import io.wellwatch.core.Assessment;
import io.wellwatch.core.DataState;
import io.wellwatch.core.DetectorListener;
import io.wellwatch.core.InputProblem;
import io.wellwatch.core.RiskLevel;
import io.wellwatch.core.TrainingOutcome;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;

/**
 * WellWatch's Prometheus metrics, fed by the detectors as one more {@link DetectorListener} (the
 * core knows nothing of Prometheus). Every label combination of a well is resolved once at start,
 * so a sample costs a map lookup by well id and a few atomic increments, no allocation.
 *
 * <p>Names (all prefixed {@code wellwatch_}): {@code samples_total{well,state,reason}},
 * {@code bad_input_total{well,reason}}, {@code scoring_seconds{well}} (histogram of the detector's
 * time per sample), {@code training_seconds{well,outcome}} (histogram), {@code models{well}},
 * {@code alarm_activations_total{well,level}} (debounced AnomalyAlarm rises, the server's rule),
 * {@code upstream_connected{well}}, {@code history_rows_written_total},
 * {@code history_rows_dropped_total}, {@code history_write_failures_total}, {@code model_versions_skipped_total},
 * {@code config_reloads_total{result}}.
 */
public final class WellWatchMetrics implements DetectorListener {

    private static final String NO_REASON = "";

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Map<String, WellPoints> wells = new LinkedHashMap<>();
    private final Counter configReloads;

    /** Data points of one well, resolved once. */
    private static final class WellPoints {
        /** [state ordinal][problem ordinal + 1]; index 0 = no reason (valid samples). */
        final CounterDataPoint[][] samples = new CounterDataPoint[DataState.values().length][];
        final CounterDataPoint[] badInput = new CounterDataPoint[InputProblem.values().length];
        final CounterDataPoint[] activations = new CounterDataPoint[RiskLevel.values().length];
        final DistributionDataPoint[] training = new DistributionDataPoint[TrainingOutcome.values().length];
        DistributionDataPoint scoring;
        GaugeDataPoint connected;
        /** Same debounce as the server's AnomalyAlarm; guarded by itself (one well's samples are serialized anyway). */
        AlarmDebouncer alarm;
    }

    /**
     * @param wellConfigs    the configured wells
     * @param modelsPerWell  how many valve states of a well have a model in service (read at scrape time)
     */
    public WellWatchMetrics(List<WellConfig> wellConfigs, ToIntFunction<String> modelsPerWell) {
        Counter samples = Counter.builder().name("wellwatch_samples_total")
                .help("Samples processed, by data state and, for Invalid ones, the first reason")
                .labelNames("well", "state", "reason").withoutExemplars().register(registry);
        Counter badInput = Counter.builder().name("wellwatch_bad_input_total")
                .help("Bad input from the PLC by reason: readings dropped or unusable on receipt, and Invalid samples")
                .labelNames("well", "reason").withoutExemplars().register(registry);
        Histogram scoring = Histogram.builder().name("wellwatch_scoring_seconds")
                .help("Time the detector spends on one sample (validate, score, decide, publish)")
                .labelNames("well").classicOnly()
                .classicUpperBounds(1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 1e-2, 0.1, 1)
                .withoutExemplars().register(registry);
        Histogram training = Histogram.builder().name("wellwatch_training_seconds")
                .help("Duration of model trainings by outcome (in_service, rejected, failed, abandoned)")
                .labelNames("well", "outcome").classicOnly()
                .classicUpperBounds(1, 2.5, 5, 10, 20, 40, 80, 160, 320, 640)
                .withoutExemplars().register(registry);
        Counter activations = Counter.builder().name("wellwatch_alarm_activations_total")
                .help("Debounced AnomalyAlarm rises to a level (low, medium, high)")
                .labelNames("well", "level").withoutExemplars().register(registry);
        Gauge connected = Gauge.builder().name("wellwatch_upstream_connected")
                .help("1 while the well's PLC connection is up, 0 while it is lost")
                .labelNames("well").withoutExemplars().register(registry);
        GaugeWithCallback.builder().name("wellwatch_models")
                .help("Valve states of the well with a model in service")
                .labelNames("well")
                .callback(cb -> wells.keySet().forEach(id -> cb.call(modelsPerWell.applyAsInt(id), id)))
                .register(registry);
        configReloads = Counter.builder().name("wellwatch_config_reloads_total")
                .help("Changes of the config file seen while running, by result (invalid, valid)")
                .labelNames("result").withoutExemplars().register(registry);

        for (WellConfig w : wellConfigs) {
            String id = w.id();
            WellPoints p = new WellPoints();
            for (DataState state : DataState.values()) {
                String s = label(state);
                if (state == DataState.INVALID) {
                    p.samples[state.ordinal()] = new CounterDataPoint[InputProblem.values().length + 1];
                    for (InputProblem problem : InputProblem.values()) {
                        p.samples[state.ordinal()][problem.ordinal() + 1] = samples.labelValues(id, s, problem.label());
                    }
                } else {
                    p.samples[state.ordinal()] = new CounterDataPoint[]{samples.labelValues(id, s, NO_REASON)};
                }
            }
            for (InputProblem problem : InputProblem.values()) {
                p.badInput[problem.ordinal()] = badInput.labelValues(id, problem.label());
            }
            for (RiskLevel level : RiskLevel.values()) {
                if (level != RiskLevel.NORMAL) {
                    p.activations[level.ordinal()] = activations.labelValues(id, label(level));
                }
            }
            for (TrainingOutcome outcome : TrainingOutcome.values()) {
                p.training[outcome.ordinal()] = training.labelValues(id, outcome.label());
            }
            p.scoring = scoring.labelValues(id);
            p.connected = connected.labelValues(id);
            p.alarm = AlarmDebouncer.of(w.detector());
            wells.put(id, p);
        }
        configReloads.initLabelValues("invalid");
        configReloads.initLabelValues("valid");
    }

    /** Adds counters read from elsewhere at scrape time (history store, model store). */
    public void addCounter(String name, String help, LongSupplier value) {
        CounterWithCallback.builder().name(name).help(help)
                .callback(cb -> cb.call(value.getAsLong()))
                .register(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** A change of the config file was seen: {@code valid} or not. */
    public void configReloaded(boolean valid) {
        configReloads.labelValues(valid ? "valid" : "invalid").inc();
    }

    @Override
    public void onAssessment(Assessment a) {
        WellPoints p = wells.get(a.wellId());
        if (p == null) {
            return;
        }
        synchronized (p.alarm) {
            if (p.alarm.offer(a) && p.alarm.level() != RiskLevel.NORMAL) {
                p.activations[p.alarm.level().ordinal()].inc();
            }
        }
    }

    @Override
    public void onSampleProcessed(String wellId, DataState state, InputProblem problem, long nanos) {
        WellPoints p = wells.get(wellId);
        if (p == null) {
            return;
        }
        CounterDataPoint[] byReason = p.samples[state.ordinal()];
        byReason[state == DataState.INVALID && problem != null ? problem.ordinal() + 1 : 0].inc();
        if (problem != null && !problem.atIngress()) {
            p.badInput[problem.ordinal()].inc();
        }
        p.scoring.observe(nanos / 1e9);
    }

    @Override
    public void onBadReading(String wellId, InputProblem problem) {
        WellPoints p = wells.get(wellId);
        if (p != null) {
            p.badInput[problem.ordinal()].inc();
        }
    }

    @Override
    public void onConnectionState(String wellId, boolean up) {
        WellPoints p = wells.get(wellId);
        if (p != null) {
            p.connected.set(up ? 1 : 0);
        }
    }

    @Override
    public void onTrainingFinished(String wellId, String valveState, TrainingOutcome outcome, long millis) {
        WellPoints p = wells.get(wellId);
        if (p != null) {
            p.training[outcome.ordinal()].observe(millis / 1000.0);
        }
    }

    private static String label(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
