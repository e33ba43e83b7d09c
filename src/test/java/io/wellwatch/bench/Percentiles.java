package io.wellwatch.bench;

/** Nearest-rank percentiles of sorted samples, the one definition every benchmark quotes. */
final class Percentiles {

    private Percentiles() {
    }

    /** The {@code p}-th percentile (0..100) of {@code sorted}, NaN when empty. */
    static double of(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[rank(sorted.length, p)];
    }

    static double of(double[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[rank(sorted.length, p)];
    }

    private static int rank(int n, double p) {
        int i = (int) Math.ceil(p / 100.0 * n) - 1;
        return Math.max(0, Math.min(n - 1, i));
    }
}
