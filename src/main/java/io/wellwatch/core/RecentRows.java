package io.wellwatch.core;

import java.util.function.Consumer;

/** A small ring of the most recent rows, oldest first on iteration. */
final class RecentRows {

    private final double[][] rows;
    private int next;
    private int size;

    RecentRows(int capacity, int features) {
        this.rows = new double[Math.max(1, capacity)][features];
    }

    void add(double[] row) {
        System.arraycopy(row, 0, rows[next], 0, row.length);
        next = (next + 1) % rows.length;
        size = Math.min(size + 1, rows.length);
    }

    void clear() {
        next = 0;
        size = 0;
    }

    void forEach(Consumer<double[]> action) {
        int start = size < rows.length ? 0 : next;
        for (int i = 0; i < size; i++) {
            action.accept(rows[(start + i) % rows.length]);
        }
    }
}
