package io.wellwatch.backtest;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.wellwatch.core.DataState;
import io.wellwatch.core.RiskLevel;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a backtest of one file shows, as written to {@code metrics.json} (the first thirteen fields are
 * the interface other tools read; the rest explain them). Definitions, all over the samples the
 * detector saw (one per sampling period):
 * <ul>
 *   <li>alarm active: the debounced AnomalyAlarm level is above Normal after the sample;</li>
 *   <li>scored: the sample is not Invalid and a model is in service;</li>
 *   <li>firstNonNormalLabelTime: time of the first row labelled neither 0 nor empty;</li>
 *   <li>firstAlarmTime: first sample with the alarm active, whatever its label;</li>
 *   <li>detectionDelaySeconds: from firstNonNormalLabelTime to the first sample at or after it with the
 *       alarm active (0 up to one sampling period when the alarm was already active); null if none;</li>
 *   <li>alarmActivations: samples whose alarm is active while the previous sample's was not;
 *       alarmActivationsOnNormal: those whose sample is labelled 0;</li>
 *   <li>normalHours: samples labelled 0 that a model judged, times the sampling period;</li>
 *   <li>precision, recall, f1: per sample over the labelled samples, "alarm active" against
 *       "label not 0"; precision is 1 when the alarm was never active on a labelled sample and recall
 *       is 1 when no sample is labelled abnormal (nothing claimed, nothing missed); f1 is 0 when both
 *       are 0; all three are null for a file without labels;</li>
 *   <li>learningSeconds: wall time spent training models;</li>
 *   <li>alarmEvents: changes of the debounced alarm level from one sample to the next (activations,
 *       changes of severity while active, clears): the events an alarm console receives.</li>
 * </ul>
 */
@JsonPropertyOrder({"file", "rows", "labelled", "firstNonNormalLabelTime", "firstAlarmTime", "detectionDelaySeconds",
        "alarmActivations", "alarmActivationsOnNormal", "normalHours", "precision", "recall", "f1", "learningSeconds"})
public record FileMetrics(
        String file,
        int rows,
        boolean labelled,
        String firstNonNormalLabelTime,
        String firstAlarmTime,
        Double detectionDelaySeconds,
        int alarmActivations,
        int alarmActivationsOnNormal,
        double normalHours,
        Double precision,
        Double recall,
        Double f1,
        double learningSeconds,
        // ---- more fields
        String well,
        double samplingSeconds,
        int samples,
        int scoredSamples,
        int invalidSamples,
        String firstModelTime,
        String detectionTime,
        String detectingAlarmStartTime,
        String highestAlarmLevel,
        int alarmEvents,
        double normalRiskNormalShare,
        double analyzingShare,
        int truePositiveSamples,
        int falsePositiveSamples,
        int falseNegativeSamples,
        int trueNegativeSamples,
        int trainings,
        int rejectedTrainings,
        double wallSeconds,
        String timeline,
        List<Retraining> retrainings) {

    /** A (re)training as listed in metrics.json; tolerance, trainingLoss are null for a rejected one. */
    @JsonPropertyOrder({"time", "version", "accepted", "tolerance", "trainingLoss", "samples"})
    public record Retraining(String time, int version, boolean accepted, Double tolerance, Double trainingLoss,
                             int samples) {
    }

    /** Per-sample precision, recall and F1 with the conventions above; one place for them. */
    record Scores(Double precision, Double recall, Double f1) {
        static Scores of(long tp, long fp, long fn) {
            double p = tp + fp == 0 ? 1 : tp / (double) (tp + fp);
            double r = tp + fn == 0 ? 1 : tp / (double) (tp + fn);
            return new Scores(p, r, p + r == 0 ? 0 : 2 * p * r / (p + r));
        }

        static final Scores NONE = new Scores(null, null, null);
    }

    public static FileMetrics of(Backtest.Result r, String wellId, String timelineName) {
        Recording rec = r.recording();
        List<Backtest.Step> steps = r.steps();
        Instant firstNonNormal = null;
        for (int i = 0; i < rec.rows() && firstNonNormal == null; i++) {
            if (rec.labels()[i] > 0) {
                firstNonNormal = rec.times()[i];
            }
        }
        Instant firstAlarm = null;
        Instant firstModel = null;
        Instant detection = null;
        Instant activeSince = null;
        Instant detectingStart = null;
        int activations = 0;
        int activationsOnNormal = 0;
        int scored = 0;
        int invalid = 0;
        int analyzing = 0;
        int normalScored = 0;
        int normalQuiet = 0;
        int tp = 0;
        int fp = 0;
        int fn = 0;
        int tn = 0;
        RiskLevel highest = RiskLevel.NORMAL;
        boolean previousActive = false;
        RiskLevel previousLevel = RiskLevel.NORMAL;
        int alarmEvents = 0;
        for (Backtest.Step s : steps) {
            if (s.alarmLevel() != previousLevel) {
                alarmEvents++;
                previousLevel = s.alarmLevel();
            }
            var a = s.assessment();
            boolean active = s.alarmLevel().isAlarm();
            if (active && !previousActive) {
                activations++;
                activeSince = s.time();
                if (s.label() == 0) {
                    activationsOnNormal++;
                }
            }
            previousActive = active;
            if (active && firstAlarm == null) {
                firstAlarm = s.time();
            }
            if (active && detection == null && firstNonNormal != null && !s.time().isBefore(firstNonNormal)) {
                detection = s.time();
                detectingStart = activeSince;
            }
            if (s.alarmLevel().ordinal() > highest.ordinal()) {
                highest = s.alarmLevel();
            }
            if (a.dataState() == DataState.INVALID) {
                invalid++;
            } else if (a.dataState() == DataState.ANALYZING) {
                analyzing++;
            }
            if (firstModel == null && a.hasModel()) {
                firstModel = s.time();
            }
            boolean isScored = a.judgedRisk() != null && a.hasModel();
            if (isScored) {
                scored++;
                if (s.label() == 0) {
                    normalScored++;
                    if (!a.riskLevel().isAlarm()) {
                        normalQuiet++;
                    }
                }
            }
            if (s.label() != Recording.UNLABELLED) {
                boolean abnormal = s.label() != 0;
                if (active && abnormal) {
                    tp++;
                } else if (active) {
                    fp++;
                } else if (abnormal) {
                    fn++;
                } else {
                    tn++;
                }
            }
        }
        double period = r.samplingPeriod().toNanos() / 1e9;
        Scores scores = rec.labelled() ? Scores.of(tp, fp, fn) : Scores.NONE;
        List<Retraining> trainings = r.retrainings().stream()
                .map(t -> new Retraining(t.time().toString(), t.version(), t.accepted(),
                        t.accepted() ? t.tolerance() : null, t.accepted() ? t.trainingLoss() : null, t.samples()))
                .toList();
        int accepted = (int) r.retrainings().stream().filter(Backtest.Retraining::accepted).count();
        int valid = steps.size() - invalid;
        return new FileMetrics(rec.name(), rec.rows(), rec.labelled(), iso(firstNonNormal), iso(firstAlarm),
                detection == null ? null : Duration.between(firstNonNormal, detection).toNanos() / 1e9,
                activations, activationsOnNormal, normalScored * period / 3600, scores.precision(), scores.recall(),
                scores.f1(), r.learningSeconds(),
                wellId, period, steps.size(), scored, invalid, iso(firstModel), iso(detection), iso(detectingStart),
                highest.name(), alarmEvents, normalScored == 0 ? 1 : normalQuiet / (double) normalScored,
                valid == 0 ? 0 : analyzing / (double) valid, tp, fp, fn, tn, accepted,
                r.retrainings().size() - accepted, r.wallSeconds(), timelineName, trainings);
    }

    public boolean hasFault() {
        return firstNonNormalLabelTime != null;
    }

    static String iso(Instant t) {
        return t == null ? null : t.toString();
    }
}
