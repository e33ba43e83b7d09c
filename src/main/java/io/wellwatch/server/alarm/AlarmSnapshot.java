package io.wellwatch.server.alarm;

import io.wellwatch.core.RiskLevel;

/**
 * What an AnomalyAlarm must get back after a restart: the debounced level, the operator's state
 * and the figures of its Message. Non-finite figures are stored as null (JSON has no NaN).
 *
 * @param severity the condition's Severity (kept because an inactive condition keeps the
 *                 severity of its last active level)
 * @param comment  the last comment, "" if none
 * @param clientUserId who acknowledged or commented last (ClientUserId), "" if nobody
 */
public record AlarmSnapshot(int format, RiskLevel level, boolean acked, boolean enabled, int severity,
                            Double loss, Double tolerance, String topContributor, String comment,
                            String clientUserId) {

    /** Version of this layout; a file with another format is ignored with a warning. */
    public static final int FORMAT = 1;

    public AlarmSnapshot {
        if (level == null) {
            throw new IllegalArgumentException("level is missing");
        }
        topContributor = topContributor == null ? "" : topContributor;
        comment = comment == null ? "" : comment;
        clientUserId = clientUserId == null ? "" : clientUserId;
    }

    static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    static double orNaN(Double v) {
        return v == null ? Double.NaN : v;
    }
}
