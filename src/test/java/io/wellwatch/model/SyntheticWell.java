package io.wellwatch.model;

import java.util.Random;

/** Synthetic scaled sensor rows for the model tests: slow sines plus noise, and a constant sensor. */
final class SyntheticWell {

    static final int FEATURES = 3;

    private SyntheticWell() {
    }

    /** {@code n} rows starting at time {@code t0}; the noise depends on {@code seed}. */
    static double[][] rows(int t0, int n, long seed) {
        Random rnd = new Random(seed);
        double[][] rows = new double[n][FEATURES];
        for (int k = 0; k < n; k++) {
            int t = t0 + k;
            rows[k][0] = 0.5 + 0.3 * Math.sin(2 * Math.PI * t / 120.0) + 0.01 * rnd.nextGaussian();
            rows[k][1] = 0.4 + 0.2 * Math.sin(2 * Math.PI * t / 75.0 + 1.0) + 0.01 * rnd.nextGaussian();
            rows[k][2] = 0.5;
        }
        return rows;
    }

    static double[][] copy(double[][] rows) {
        double[][] c = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            c[i] = rows[i].clone();
        }
        return c;
    }

    /** Adds {@code offset + slope * k} to every sensor of row k. */
    static double[][] shifted(double[][] rows, double offset, double slope) {
        double[][] c = copy(rows);
        for (int k = 0; k < c.length; k++) {
            for (int i = 0; i < c[k].length; i++) {
                c[k][i] += offset + slope * k;
            }
        }
        return c;
    }
}
