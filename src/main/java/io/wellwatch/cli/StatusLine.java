package io.wellwatch.cli;

import io.wellwatch.core.Assessment;
import io.wellwatch.core.DataState;
import io.wellwatch.core.WellStatus;

import java.util.Locale;

/** One human-readable line per well for the console. */
final class StatusLine {

    private static final int BAR = 20;
    /** Sample times as the data has them (UTC; in the demo the replayed recording's). */
    private static final java.time.format.DateTimeFormatter TIME =
            java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss'Z'").withZone(java.time.ZoneOffset.UTC);

    private StatusLine() {
    }

    static String format(String wellId, WellStatus s) {
        Assessment a = s.last();
        if (!s.connected() && s.disconnectedSince() != null) {
            String since = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss").withZone(java.time.ZoneId.systemDefault())
                    .format(s.disconnectedSince());
            String model = a == null || !a.hasModel() ? "" : String.format(Locale.ROOT, ", model v%d, last risk %s", a.modelVersion(), name(a.riskLevel()));
            return String.format(Locale.ROOT, "%-12s NoComm    PLC not connected since %s, retrying%s", wellId, since, model);
        }
        if (a == null) {
            return String.format(Locale.ROOT, "%-12s waiting for the first sample", wellId);
        }
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-12s %-9s", wellId, name(a.dataState())));
        if (!a.hasModel()) {
            int filled = a.windowSize() == 0 ? 0 : a.samplesBuffered() * BAR / a.windowSize();
            b.append(" learning [").append("#".repeat(filled)).append(".".repeat(BAR - filled)).append("] ")
                    .append(String.format(Locale.ROOT, "%3d/%d samples", a.samplesBuffered(), a.windowSize()));
            if (s.training()) {
                b.append(", training a model"); // not "v1": versions never repeat, a damaged v1 on disk keeps its number
            }
        } else if (Double.isNaN(a.loss())) {
            b.append(String.format(Locale.ROOT, " model v%-3d warming up, not scored yet   tol %7.4f  buf %3d/%d",
                    a.modelVersion(), a.tolerance(), a.samplesBuffered(), a.windowSize()));
        } else if (!a.judged()) {
            // Held values must not read as a current judgement: an operator would trust a stale Normal.
            b.append(String.format(Locale.ROOT, " model v%-3d not judged since %s (%s), last risk %s  tol %7.4f  buf %3d/%d",
                    a.modelVersion(), s.lastJudged() == null ? "-" : TIME.format(s.lastJudged()),
                    a.dataState() == DataState.INVALID ? "invalid sample" : "model warming up after a gap or a retraining",
                    name(a.riskLevel()), a.tolerance(), a.samplesBuffered(), a.windowSize()));
        } else {
            b.append(String.format(Locale.ROOT, " model v%-3d loss %8.4f  tol %7.4f  risk %-6s top %-10s buf %3d/%d",
                    a.modelVersion(), a.loss(), a.tolerance(), name(a.riskLevel()), a.topContributor().isEmpty() ? "-" : a.topContributor(),
                    a.samplesBuffered(), a.windowSize()));
            if (s.training()) {
                b.append(" (training)");
            }
        }
        b.append(String.format(Locale.ROOT, "  [normal %d, analyzing %d, invalid %d]", s.normal(), s.analyzing(), s.invalid()));
        if (!s.trainingProblem().isEmpty() && !s.training()) {
            b.append(" (").append(s.trainingProblem()).append(')');
        }
        if (a.dataState() == DataState.INVALID && !s.lastInvalidReason().isEmpty()) {
            b.append(" invalid: ").append(s.lastInvalidReason());
        }
        return b.toString();
    }

    private static String name(Enum<?> e) {
        String n = e.name();
        return n.charAt(0) + n.substring(1).toLowerCase(Locale.ROOT);
    }
}
