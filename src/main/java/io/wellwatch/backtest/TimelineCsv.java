package io.wellwatch.backtest;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The per-sample record of a backtest, so that anyone can recompute the metrics or plot it their
 * way. One line per sample: {@code row} (1-based data row of the file), {@code time} (ISO-8601 UTC),
 * {@code label} (empty when unlabelled), {@code dataState}, {@code riskLevel} (not debounced),
 * {@code alarmLevel} (debounced AnomalyAlarm level after the sample), {@code loss},
 * {@code tolerance} (empty when none), {@code modelVersion}, {@code topContributor}, {@code judged}
 * (true when a model judged the sample; false when Invalid, without a model, or while the model warms
 * up, and then riskLevel and loss are the last judgement's, held).
 */
public final class TimelineCsv {

    public static final String HEADER = "row,time,label,dataState,riskLevel,alarmLevel,loss,tolerance,modelVersion,topContributor,judged";

    private TimelineCsv() {
    }

    public static void write(Path file, Backtest.Result result) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(HEADER);
            out.newLine();
            for (Backtest.Step s : result.steps()) {
                var a = s.assessment();
                out.write(s.row() + "," + s.time() + "," + (s.label() == Recording.UNLABELLED ? "" : s.label()) + ","
                        + a.dataState() + "," + a.riskLevel() + "," + s.alarmLevel() + "," + number(a.loss()) + ","
                        + number(a.tolerance()) + "," + a.modelVersion() + "," + a.topContributor() + ","
                        + (a.hasModel() && a.judgedRisk() != null));
                out.newLine();
            }
        }
    }

    private static String number(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "";
    }
}
