package io.wellwatch.backtest;

import java.time.Instant;
import java.util.Arrays;

/**
 * The rows of one historian export, reduced to what a well's detector reads. Arrays are indexed by
 * data row (0 = the first line after the header); values are NaN where a cell was empty.
 *
 * @param name      the file as given on the command line
 * @param times     row times, non-decreasing
 * @param sensors   per configured sensor (config order), its column
 * @param valves    per configured valve, its column, or null when the file has none (taken as open)
 * @param labels    per row the label, {@link #UNLABELLED} where empty or when the file has no label column
 * @param labelled  the file has a label column with at least one label
 */
public record Recording(String name, Instant[] times, double[][] sensors, double[][] valves, int[] labels,
                        boolean labelled) {

    public static final int UNLABELLED = -1;

    public int rows() {
        return times.length;
    }

    /** The first {@code n} rows (all when there are fewer). */
    public Recording head(int n) {
        int k = Math.min(n, rows());
        double[][] s = new double[sensors.length][];
        for (int i = 0; i < s.length; i++) {
            s[i] = Arrays.copyOf(sensors[i], k);
        }
        double[][] v = new double[valves.length][];
        for (int i = 0; i < v.length; i++) {
            v[i] = valves[i] == null ? null : Arrays.copyOf(valves[i], k);
        }
        int[] l = Arrays.copyOf(labels, k);
        return new Recording(name, Arrays.copyOf(times, k), s, v, l, Arrays.stream(l).anyMatch(x -> x != UNLABELLED));
    }
}
