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
 */
public record SimWellConfig(String id, String csv, boolean loop, Map<String, Integer> valves, List<ValveEvent> valveEvents) {

    @JsonCreator
    public static SimWellConfig of(
            @JsonProperty(value = "id", required = true) String id,
            @JsonProperty(value = "csv", required = true) String csv,
            @JsonProperty("loop") Boolean loop,
            @JsonProperty("valves") LinkedHashMap<String, Integer> valves,
            @JsonProperty("valveEvents") List<ValveEvent> valveEvents) {
        return new SimWellConfig(id, csv, loop == null || loop,
                valves == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(valves)),
                valveEvents == null ? List.of() : List.copyOf(valveEvents));
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
