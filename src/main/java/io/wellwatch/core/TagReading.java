package io.wellwatch.core;

import java.time.Instant;

/**
 * The latest value of one upstream tag with its quality and source time. {@code problem} is set
 * when the upstream adapter received something unusable for this tag (a string, a time far in the
 * future): the tag's current value is then unknown, and a sample holding it is Invalid for that
 * reason.
 */
public record TagReading(double value, Quality quality, Instant sourceTime, InputProblem problem) {

    public TagReading(double value, Quality quality, Instant sourceTime) {
        this(value, quality, sourceTime, null);
    }

    public static TagReading good(double value, Instant sourceTime) {
        return new TagReading(value, Quality.GOOD, sourceTime);
    }

    /** An unusable reading received at {@code time}. */
    public static TagReading unusable(InputProblem problem, Instant time) {
        return new TagReading(Double.NaN, Quality.BAD, time, problem);
    }
}
