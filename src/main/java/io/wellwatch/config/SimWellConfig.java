package io.wellwatch.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One well replayed by the simulator.
 *
 * @param id          well id; tags are published as {@code <id>/<CSV column>} and {@code <id>/ESTADO-<valve>}
 * @param csv         path of a 3W CSV file (relative to the working directory); required
 * @param loop        start again from the first row after the last, default true
 * @param valves      initial valve states, name to 1 (open) or 0 (closed); default: none
 * @param valveEvents scenario: valve state changes at given CSV rows (1-based data rows)
 * @param faults      {@code none} (default) or {@code garbage}: a misbehaving PLC that sends NaN,
 *                    infinities, strings, arrays, out-of-order, duplicate and future timestamps,
 *                    bursts and frozen values on its sensor tags between normal rows
 */
public record SimWellConfig(String id, String csv, boolean loop, Map<String, Integer> valves, List<ValveEvent> valveEvents,
                            String faults) {

    public static final String NO_FAULTS = "none";
    public static final String GARBAGE = "garbage";

    /** Without faults. */
    public static SimWellConfig of(String id, String csv, Boolean loop, LinkedHashMap<String, Integer> valves,
                                   List<ValveEvent> valveEvents) {
        return of(id, csv, loop, valves, valveEvents, null);
    }

    public SimWellConfig withFaults(String newFaults) {
        return new SimWellConfig(id, csv, loop, valves, valveEvents, newFaults);
    }

    @JsonCreator
    public static SimWellConfig of(
            @JsonProperty(value = "id", required = true) String id,
            @JsonProperty(value = "csv", required = true) String csv,
            @JsonProperty("loop") Boolean loop,
            @JsonProperty("valves") LinkedHashMap<String, Integer> valves,
            @JsonProperty("valveEvents") List<ValveEvent> valveEvents,
            @JsonProperty("faults") String faults) {
        return new SimWellConfig(id, csv, loop == null || loop,
                valves == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(valves)),
                valveEvents == null ? List.of() : List.copyOf(valveEvents),
                faults == null ? NO_FAULTS : faults);
    }

    /** At data row {@code row} (1-based), valve {@code valve} takes {@code state}. */
    public record ValveEvent(int row, String valve, int state) {
        @JsonCreator
        public ValveEvent(
                @JsonProperty(value = "row", required = true) int row,
                @JsonProperty(value = "valve", required = true) String valve,
                @JsonProperty(value = "state", required = true) int state) {
            this.row = row;
            this.valve = valve;
            this.state = state;
        }
    }
}
