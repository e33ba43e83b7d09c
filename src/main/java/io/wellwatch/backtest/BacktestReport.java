package io.wellwatch.backtest;

import io.wellwatch.core.DataState;
import io.wellwatch.core.RiskLevel;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Figures of a backtest: how quiet the detector is on normal data once it has a model, and how
 * soon it reacts once the fault label starts.
 *
 * @param firstModelRow          CSV row at which the first model went into service (-1 if never)
 * @param normalScored           normal-labelled samples after the first model
 * @param normalQuietShare       share of those with RiskLevel Normal
 * @param normalActivations      Normal-to-above transitions of the risk level on normal-labelled data
 * @param normalHours            hours of normal-labelled data after the first model
 * @param faultStartRow          first row labelled as a fault (class != 0 and labelled), -1 if none
 * @param firstAlarmRow          first row at or after the fault start with risk above Normal, -1 if none
 * @param faultAlarmShare        share of fault-labelled samples with risk above Normal
 * @param highestFaultLevel      highest risk level reached on fault-labelled data
 * @param modelVersions          trainings performed
 * @param analyzingShare         share of all valid samples classified Analyzing
 * @param alarmActivationsNormal debounced alarm activations (AnomalyAlarm going active) on normal-labelled data
 * @param firstAlarmActiveRow    first row at or after the fault start where the debounced alarm is active, -1 if none
 * @param highestAlarmLevel      highest debounced alarm level on fault-labelled data
 * @param alarmOnsetRow          row where the alarm that is active at {@code firstAlarmActiveRow} went active
 *                               (earlier than the fault label when the detector saw it coming), -1 if none
 */
public record BacktestReport(int firstModelRow, int normalScored, double normalQuietShare, int normalActivations,
                             double normalHours, int faultStartRow, int firstAlarmRow, double faultAlarmShare,
                             RiskLevel highestFaultLevel, int modelVersions, double analyzingShare,
                             int alarmActivationsNormal, int firstAlarmActiveRow, RiskLevel highestAlarmLevel,
                             int alarmOnsetRow) {

    public static BacktestReport of(Backtest.Result r) {
        List<Backtest.Step> steps = r.steps();
        int firstModel = -1;
        int normal = 0;
        int quiet = 0;
        int activations = 0;
        Instant normalFrom = null;
        Instant normalTo = null;
        int faultStart = -1;
        int firstAlarm = -1;
        int fault = 0;
        int faultAlarm = 0;
        int valid = 0;
        int analyzing = 0;
        RiskLevel highest = RiskLevel.NORMAL;
        RiskLevel previous = RiskLevel.NORMAL;
        RiskLevel previousAlarm = RiskLevel.NORMAL;
        int alarmActivations = 0;
        int firstAlarmActive = -1;
        RiskLevel highestAlarm = RiskLevel.NORMAL;
        int lastActivationRow = -1;
        int alarmOnset = -1;
        for (Backtest.Step s : steps) {
            var a = s.assessment();
            if (a.dataState() != DataState.INVALID) {
                valid++;
                if (a.dataState() == DataState.ANALYZING) {
                    analyzing++;
                }
            }
            if (firstModel < 0 && a.hasModel()) {
                firstModel = s.row();
            }
            boolean alarm = a.riskLevel().isAlarm();
            if (s.label() == 0 && firstModel >= 0) {
                normal++;
                if (!alarm) {
                    quiet++;
                }
                if (alarm && !previous.isAlarm()) {
                    activations++;
                }
                if (normalFrom == null) {
                    normalFrom = a.sampleTime();
                }
                normalTo = a.sampleTime();
            }
            if (s.label() > 0) {
                if (faultStart < 0) {
                    faultStart = s.row();
                }
                fault++;
                if (alarm) {
                    faultAlarm++;
                    if (firstAlarm < 0) {
                        firstAlarm = s.row();
                    }
                }
                if (a.riskLevel().ordinal() > highest.ordinal()) {
                    highest = a.riskLevel();
                }
            }
            RiskLevel alarmLevel = s.alarmLevel();
            if (alarmLevel.isAlarm() && !previousAlarm.isAlarm()) {
                lastActivationRow = s.row();
            }
            if (s.label() == 0 && firstModel >= 0 && alarmLevel.isAlarm() && !previousAlarm.isAlarm()) {
                alarmActivations++;
            }
            if (s.label() > 0) {
                if (alarmLevel.isAlarm() && firstAlarmActive < 0) {
                    firstAlarmActive = s.row();
                    alarmOnset = lastActivationRow;
                }
                if (alarmLevel.ordinal() > highestAlarm.ordinal()) {
                    highestAlarm = alarmLevel;
                }
            }
            previousAlarm = alarmLevel;
            previous = a.riskLevel();
        }
        double hours = normalFrom == null ? 0 : Duration.between(normalFrom, normalTo).toSeconds() / 3600.0;
        return new BacktestReport(firstModel, normal, normal == 0 ? Double.NaN : quiet / (double) normal, activations,
                hours, faultStart, firstAlarm, fault == 0 ? Double.NaN : faultAlarm / (double) fault, highest,
                r.trainings().size(), valid == 0 ? Double.NaN : analyzing / (double) valid,
                alarmActivations, firstAlarmActive, highestAlarm, alarmOnset);
    }

    public String describe() {
        return String.format(Locale.ROOT,
                "first model at row %d; normal after first model: %d samples (%.2f h), %.1f%% risk Normal, %d alarm activations; "
                        + "fault from row %d: first alarm at row %s, %.1f%% of fault samples above Normal, highest %s; "
                        + "%d trainings; %.1f%% of valid samples Analyzing; AnomalyAlarm (debounced): %d activations on normal data, "
                        + "active in the fault from row %s (went active at row %s), highest %s",
                firstModelRow, normalScored, normalHours, 100 * normalQuietShare, normalActivations,
                faultStartRow, firstAlarmRow < 0 ? "none" : Integer.toString(firstAlarmRow), 100 * faultAlarmShare,
                highestFaultLevel, modelVersions, 100 * analyzingShare, alarmActivationsNormal,
                firstAlarmActiveRow < 0 ? "none" : Integer.toString(firstAlarmActiveRow),
                alarmOnsetRow < 0 ? "-" : Integer.toString(alarmOnsetRow), highestAlarmLevel);
    }
}
