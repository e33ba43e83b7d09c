package io.wellwatch.backtest;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The content of {@code metrics.json}: one entry per file and the totals over them. */
@JsonPropertyOrder({"files", "totals"})
public record BacktestMetrics(List<FileMetrics> files, Totals totals) {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * @param faultFiles                  files with a label other than 0 and empty
     * @param faultFilesDetected          those with a detection (detectionDelaySeconds not null)
     * @param medianDetectionDelaySeconds median delay over the detected files, null if none
     * @param falseAlarmsPer24h           alarm activations on label-0 samples per 24 h of scored label-0
     *                                    data, over all files (0 when there is none)
     * @param precision                   per-sample precision over all labelled samples of all files
     *                                    (same conventions as per file); null when no file is labelled
     */
    @JsonPropertyOrder({"files", "faultFiles", "faultFilesDetected", "medianDetectionDelaySeconds", "falseAlarmsPer24h"})
    public record Totals(int files, int faultFiles, int faultFilesDetected, Double medianDetectionDelaySeconds,
                         double falseAlarmsPer24h, int alarmActivationsOnNormal, double normalHours,
                         Double precision, Double recall, Double f1, double learningSeconds) {
    }

    public static BacktestMetrics of(List<FileMetrics> files) {
        List<FileMetrics> faults = files.stream().filter(FileMetrics::hasFault).toList();
        double[] delays = faults.stream().filter(f -> f.detectionDelaySeconds() != null)
                .mapToDouble(FileMetrics::detectionDelaySeconds).sorted().toArray();
        Double median = delays.length == 0 ? null : delays.length % 2 == 1 ? delays[delays.length / 2]
                : (delays[delays.length / 2 - 1] + delays[delays.length / 2]) / 2;
        double normalHours = files.stream().mapToDouble(FileMetrics::normalHours).sum();
        int onNormal = files.stream().mapToInt(FileMetrics::alarmActivationsOnNormal).sum();
        List<FileMetrics> labelled = files.stream().filter(FileMetrics::labelled).toList();
        FileMetrics.Scores scores = labelled.isEmpty() ? FileMetrics.Scores.NONE : FileMetrics.Scores.of(
                labelled.stream().mapToLong(FileMetrics::truePositiveSamples).sum(),
                labelled.stream().mapToLong(FileMetrics::falsePositiveSamples).sum(),
                labelled.stream().mapToLong(FileMetrics::falseNegativeSamples).sum());
        return new BacktestMetrics(files, new Totals(files.size(), faults.size(), delays.length, median,
                normalHours == 0 ? 0 : onNormal / normalHours * 24, onNormal, normalHours,
                scores.precision(), scores.recall(), scores.f1(),
                files.stream().mapToDouble(FileMetrics::learningSeconds).sum()));
    }

    public void write(Path file) throws IOException {
        JSON.writeValue(file.toFile(), this);
    }

    public static BacktestMetrics read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), BacktestMetrics.class);
    }
}
