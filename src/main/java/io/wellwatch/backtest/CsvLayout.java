package io.wellwatch.backtest;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.wellwatch.config.ConfigException;
import io.wellwatch.config.ConfigLoader;
import io.wellwatch.config.SensorConfig;
import io.wellwatch.config.ValveConfig;
import io.wellwatch.config.WellConfig;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * How a historian export maps onto a well of the config: which column holds the time and how it is
 * written, which column holds each sensor and valve, and which one the label. The default is the 3W
 * layout ({@link #THREE_W}); any other layout is given in a small YAML mapping file
 * (README, "Backtest"), for example:
 * <pre>
 * timestamp: { column: Time, format: "dd/MM/yyyy HH:mm:ss", zone: "America/Sao_Paulo" }
 * delimiter: ";"
 * sensors: { P-TPT: "PT-4021.PV", T-TPT: "TT-4021.PV" }
 * valves: { DHSV: "XV-4001.ST" }
 * label: Event
 * </pre>
 *
 * @param timestamp    the time column
 * @param delimiter    cell separator, default {@code ,}
 * @param sensors      sensor name (as in the config) to CSV column; a sensor not listed is read from
 *                     the column of its own name
 * @param valves       valve name to CSV column (1 open, 0 closed); a valve not listed is read from
 *                     {@code ESTADO-<name>} when the file has it (3W v2), else taken as open
 * @param label        label column (3W classes: 0 normal, N fault N, 100+N transient into N, empty
 *                     unlabelled); default {@code class}, used only when the file has it
 */
public record CsvLayout(TimestampColumn timestamp, char delimiter, Map<String, String> sensors,
                        Map<String, String> valves, String label) {

    /** The 3W dataset's layout (v1 and v2). */
    public static final CsvLayout THREE_W = new CsvLayout(TimestampColumn.THREE_W, ',', Map.of(), Map.of(), "class");

    /** Valve columns of 3W v2 are named like this. */
    static final String THREE_W_VALVE_PREFIX = "ESTADO-";

    /**
     * @param column name of the time column, default {@code timestamp}
     * @param format a {@link java.time.format.DateTimeFormatter} pattern, or {@code iso} (ISO-8601
     *               with offset, e.g. 2024-05-01T10:00:00Z), {@code epoch-seconds} or
     *               {@code epoch-millis}; default 3W's {@code yyyy-MM-dd HH:mm:ss} with an optional
     *               fraction
     * @param zone   time zone of a pattern without offset, default UTC
     */
    public record TimestampColumn(String column, String format, ZoneId zone) {

        static final TimestampColumn THREE_W = new TimestampColumn("timestamp", null, ZoneId.of("UTC"));

        @JsonCreator
        static TimestampColumn of(@JsonProperty("column") String column, @JsonProperty("format") String format,
                                  @JsonProperty("zone") String zone) {
            ZoneId z;
            try {
                z = zone == null ? THREE_W.zone : ZoneId.of(zone);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("unknown time zone '" + zone + "' (e.g. UTC, -03:00, America/Sao_Paulo)");
            }
            TimestampColumn c = new TimestampColumn(column == null ? THREE_W.column : column, format, z);
            new TimestampParser(c); // an unusable pattern is reported at its line of the mapping file
            return c;
        }
    }

    @JsonCreator
    static CsvLayout of(@JsonProperty("timestamp") TimestampColumn timestamp,
                        @JsonProperty("delimiter") String delimiter,
                        @JsonProperty("sensors") Map<String, String> sensors,
                        @JsonProperty("valves") Map<String, String> valves,
                        @JsonProperty("label") String label) {
        if (delimiter != null && delimiter.length() != 1) {
            throw new IllegalArgumentException("delimiter must be one character, got '" + delimiter + "'");
        }
        return new CsvLayout(timestamp == null ? TimestampColumn.THREE_W : timestamp,
                delimiter == null ? ',' : delimiter.charAt(0),
                sensors == null ? Map.of() : Map.copyOf(sensors),
                valves == null ? Map.of() : Map.copyOf(valves),
                label == null ? THREE_W.label : label);
    }

    /** Reads a mapping file; problems name the file, line and field. */
    public static CsvLayout load(Path file) throws ConfigException {
        return ConfigLoader.loadYaml(file, CsvLayout.class);
    }

    /**
     * Refuses sensor and valve names the well does not have: a typo would otherwise leave the real
     * sensor read from a column of its own name, silently.
     */
    public void requireNamesOf(WellConfig well, Path file) throws ConfigException {
        requireKnown(sensors, "sensors", "sensor", well.sensors().stream().map(SensorConfig::name).toList(), well, file);
        requireKnown(valves, "valves", "valve", well.valves().stream().map(ValveConfig::name).toList(), well, file);
    }

    private static void requireKnown(Map<String, String> mapped, String key, String kind, List<String> known,
                                     WellConfig well, Path file) throws ConfigException {
        for (String name : new TreeSet<>(mapped.keySet())) {
            if (!known.contains(name)) {
                throw new ConfigException(ConfigLoader.locate(file, key + "." + name) + ": unknown " + kind + " '" + name
                        + "': well " + well.id() + (known.isEmpty() ? " has no " + key : " has " + String.join(", ", known)));
            }
        }
    }

    String sensorColumn(String sensor) {
        return sensors.getOrDefault(sensor, sensor);
    }

    /** The column configured for a valve, or null to look for {@code ESTADO-<name>}. */
    String valveColumn(String valve) {
        return valves.get(valve);
    }
}
