package io.wellwatch.core;

import java.time.Instant;

/** The latest value of one upstream tag with its quality and source time. */
public record TagReading(double value, Quality quality, Instant sourceTime) {

    public static TagReading good(double value, Instant sourceTime) {
        return new TagReading(value, Quality.GOOD, sourceTime);
    }
}
