package io.wellwatch.core;

import java.util.Locale;

/**
 * Why an upstream reading or a sample was not used. Each is counted per well (the metric label is
 * {@link #label()}) and logged once per run and well, not per occurrence: a PLC that sends garbage
 * every second must not flood the log.
 */
public enum InputProblem {
    /** A configured tag has never delivered a value. */
    MISSING,
    /** The PLC marked the value Bad (e.g. Bad_NoCommunication from the device). */
    BAD_QUALITY,
    UNCERTAIN_QUALITY,
    /** NaN or an infinity. */
    NOT_FINITE,
    /** A string, an array, a structure: anything that is not a number or a Boolean. */
    WRONG_TYPE,
    /** The reading's source time lags the sample's by more than {@code staleAfterMs}. */
    STALE,
    /** Outside the sensor's configured [min, max]. */
    OUT_OF_RANGE,
    /** A valve state that is not a whole number. */
    NOT_WHOLE_NUMBER,
    /** The same value for longer than {@code frozenAfterMs}: a stuck transmitter or a frozen PLC buffer. */
    FROZEN,
    /** Source time further ahead of our clock than {@code maxFutureMs}. */
    FUTURE_TIMESTAMP,
    /** Source time older than the tag's previous reading: ignored, the newer value stands. */
    OUT_OF_ORDER,
    /** Same source time as the tag's previous reading with another value: ignored, the first stands. */
    DUPLICATE_TIMESTAMP,
    /** Far more updates of a tag in one sampling period than a PLC should send: coalesced to the latest. */
    BURST,
    /** The sample does not have the configured number of sensors and valves. */
    SHAPE;

    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }

    /**
     * Found by the upstream adapter on receipt (and reported there, once per reading) rather than
     * by the sample validator (once per Invalid sample).
     */
    public boolean atIngress() {
        return switch (this) {
            case WRONG_TYPE, FUTURE_TIMESTAMP, OUT_OF_ORDER, DUPLICATE_TIMESTAMP, BURST -> true;
            default -> false;
        };
    }
}
