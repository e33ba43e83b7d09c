package io.wellwatch.backtest;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.function.Function;

/** Turns the time cell of a CSV row into an Instant, as the layout's {@link CsvLayout.TimestampColumn} says. */
final class TimestampParser {

    /** 3W: {@code yyyy-MM-dd HH:mm:ss} with an optional fraction of up to nine digits. */
    private static final DateTimeFormatter THREE_W = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();

    private final Function<String, Instant> parse;
    private final String expected;

    TimestampParser(CsvLayout.TimestampColumn column) {
        String format = column.format();
        if (format == null) {
            parse = cell -> LocalDateTime.parse(cell, THREE_W).atZone(column.zone()).toInstant();
            expected = "yyyy-MM-dd HH:mm:ss[.fff]";
        } else if (format.equals("iso")) {
            parse = cell -> OffsetDateTime.parse(cell).toInstant();
            expected = "ISO-8601 with offset, e.g. 2024-05-01T10:00:00Z";
        } else if (format.equals("epoch-seconds")) {
            parse = cell -> epoch(cell, 1000);
            expected = "seconds since 1970-01-01T00:00:00Z";
        } else if (format.equals("epoch-millis")) {
            parse = cell -> epoch(cell, 1);
            expected = "milliseconds since 1970-01-01T00:00:00Z";
        } else {
            DateTimeFormatter f;
            try {
                f = DateTimeFormatter.ofPattern(format);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("format '" + format + "' is not a date-time pattern: " + e.getMessage());
            }
            DateTimeFormatter zoned = f.withZone(column.zone());
            parse = cell -> {
                TemporalAccessor t = zoned.parse(cell);
                if (!t.isSupported(ChronoField.HOUR_OF_DAY)) {
                    throw new DateTimeException("the pattern gives no time of day");
                }
                return Instant.from(t);
            };
            expected = format;
        }
    }

    /** @throws DateTimeException when the cell does not hold a time in this format */
    Instant parse(String cell) {
        try {
            return parse.apply(cell);
        } catch (NumberFormatException e) {
            throw new DateTimeException("not a number");
        }
    }

    /** The format in words, for error messages. */
    String expected() {
        return expected;
    }

    private static Instant epoch(String cell, long millisPerUnit) {
        double v = Double.parseDouble(cell);
        if (!Double.isFinite(v)) {
            throw new NumberFormatException();
        }
        return Instant.ofEpochMilli(Math.round(v * millisPerUnit));
    }
}
