package io.wellwatch.core;

import java.util.List;
import java.util.TreeMap;

/**
 * The canonical key of a valve-state combination: {@code NAME=state} pairs sorted by valve name and
 * joined by ';', e.g. {@code DHSV=1;M1=1;W1=1;XO=0}. Sorting makes the key independent of the order
 * valves are listed in the config, so a reordered config still finds its stored models. A well
 * without valve tags has the single key {@code ""}.
 */
public final class ValveStateKey {

    private ValveStateKey() {
    }

    /** Builds the key; states are whole numbers (1 open, 0 closed, or a PLC's own codes). */
    public static String of(List<String> names, int[] states) {
        if (names.size() != states.length) {
            throw new IllegalArgumentException("valve names and states differ in length");
        }
        TreeMap<String, Integer> sorted = new TreeMap<>();
        for (int i = 0; i < states.length; i++) {
            sorted.put(names.get(i), states[i]);
        }
        StringBuilder key = new StringBuilder();
        sorted.forEach((name, state) -> {
            if (!key.isEmpty()) {
                key.append(';');
            }
            key.append(name).append('=').append(state);
        });
        return key.toString();
    }
}
