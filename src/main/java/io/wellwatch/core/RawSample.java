package io.wellwatch.core;

import java.time.Instant;

/**
 * One sample of a well as assembled by the upstream adapter: the latest reading of every configured
 * sensor and valve tag, in configuration order. An entry is {@code null} when the tag has never
 * delivered a value. {@code time} is the newest source timestamp among the readings.
 */
public record RawSample(String wellId, Instant time, TagReading[] sensors, TagReading[] valves) {
}
