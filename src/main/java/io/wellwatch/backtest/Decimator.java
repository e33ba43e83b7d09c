package io.wellwatch.backtest;

/**
 * Reduces a series to what a plot can show: per bucket of {@code bucketPx} pixels the minimum and
 * the maximum, in the order they occurred, so spikes survive and a 24,000-row file costs a few
 * thousand points. NaN values break the line.
 */
final class Decimator {

    private Decimator() {
    }

    /**
     * Appends SVG path data ("M x y L x y ...") for the points (xs[i], ys[i]) to {@code out}, in
     * pixel coordinates; xs must be non-decreasing.
     */
    static void path(double[] xs, double[] ys, double bucketPx, StringBuilder out) {
        boolean penDown = false;
        int i = 0;
        while (i < xs.length) {
            long bucket = (long) Math.floor(xs[i] / bucketPx);
            int lo = -1;
            int hi = -1;
            int j = i;
            boolean gap = false;
            for (; j < xs.length && (long) Math.floor(xs[j] / bucketPx) == bucket; j++) {
                if (Double.isNaN(ys[j])) {
                    gap = true;
                    continue;
                }
                if (lo < 0 || ys[j] < ys[lo]) {
                    lo = j;
                }
                if (hi < 0 || ys[j] > ys[hi]) {
                    hi = j;
                }
            }
            if (lo >= 0) {
                int first = Math.min(lo, hi);
                int second = Math.max(lo, hi);
                penDown = point(out, xs[first], ys[first], penDown);
                if (second != first) {
                    point(out, xs[second], ys[second], true);
                }
            }
            if (gap && (lo < 0 || Double.isNaN(ys[j - 1]))) {
                penDown = false;
            }
            i = j;
        }
    }

    private static boolean point(StringBuilder out, double x, double y, boolean penDown) {
        out.append(penDown ? 'L' : 'M').append(fmt(x)).append(' ').append(fmt(y));
        return true;
    }

    static String fmt(double v) {
        long tenths = Math.round(v * 10);
        return tenths % 10 == 0 ? Long.toString(tenths / 10) : Double.toString(tenths / 10.0);
    }
}
