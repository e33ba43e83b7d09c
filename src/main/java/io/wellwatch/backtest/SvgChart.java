package io.wellwatch.backtest;

import io.wellwatch.config.RiskBands;
import io.wellwatch.core.RiskLevel;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The plot of one backtested file as inline SVG, all panels on one time axis: the labels, the
 * debounced alarm, the loss against the tolerance and the risk bands (log scale), and every sensor
 * scaled to its own range over the file; retrainings are vertical lines across all panels.
 */
final class SvgChart {

    static final int WIDTH = 1340;
    static final int LEFT = 150;
    static final int RIGHT = 20;
    static final int PLOT_WIDTH = WIDTH - LEFT - RIGHT;
    static final double BUCKET_PX = 2;

    // Colours: the series' colours are also what the browser test looks for in the screenshot.
    static final String LOSS_COLOUR = "#1f5fd6";
    static final String TOLERANCE_COLOUR = "#222222";
    static final String RETRAIN_COLOUR = "#8e44ad";
    static final String[] SENSOR_COLOURS = {"#0b8a5a", "#d35400", "#7f8c0d", "#c2185b", "#00838f", "#6d4c41", "#5e35b1",
            "#2e7d32", "#ad1457", "#455a64"};
    static final String LABEL_NORMAL = "#cfe8cf";
    static final String LABEL_TRANSIENT = "#f5b041";
    static final String LABEL_FAULT = "#d64541";
    static final String LABEL_NONE = "#e3e3e3";
    static final String[] ALARM_COLOURS = {"#ffffff", "#f7dc6f", "#e67e22", "#c0392b"};
    static final String[] BAND_FILLS = {"#fdf6d3", "#fde3c8", "#f9d3d0"};

    private static final int STRIP = 16;
    private static final int LOSS_HEIGHT = 190;
    private static final int SENSOR_HEIGHT = 42;
    private static final int GAP = 8;
    private static final DateTimeFormatter HOUR_MINUTE = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT);

    private final Backtest.Result result;
    private final List<String> sensorNames;
    private final RiskBands bands;
    private final Instant t0;
    private final double spanSeconds;
    private final StringBuilder svg = new StringBuilder(64 * 1024);

    SvgChart(Backtest.Result result, List<String> sensorNames, RiskBands bands) {
        this.result = result;
        this.sensorNames = sensorNames;
        this.bands = bands;
        Instant[] times = result.recording().times();
        this.t0 = times[0];
        this.spanSeconds = Math.max(1, Duration.between(t0, times[times.length - 1]).toNanos() / 1e9);
    }

    String render() {
        Recording rec = result.recording();
        int y = 4;
        int top = y;
        int height = 4 + (rec.labelled() ? STRIP + GAP : 0) + STRIP + GAP + LOSS_HEIGHT + GAP
                + sensorNames.size() * (SENSOR_HEIGHT + GAP) + 40;
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"").append(WIDTH)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(height).append("\" font-family=\"sans-serif\" font-size=\"11\">\n");
        int bottom = height - 40;
        grid(top, bottom);
        if (rec.labelled()) {
            labelStrip(y);
            y += STRIP + GAP;
        }
        alarmStrip(y);
        y += STRIP + GAP;
        lossPanel(y);
        y += LOSS_HEIGHT + GAP;
        for (int s = 0; s < sensorNames.size(); s++) {
            sensorPanel(s, y);
            y += SENSOR_HEIGHT + GAP;
        }
        retrainings(top, y - GAP);
        timeAxis(y - GAP);
        svg.append("</svg>\n");
        return svg.toString();
    }

    private double x(Instant t) {
        return LEFT + PLOT_WIDTH * (Duration.between(t0, t).toNanos() / 1e9) / spanSeconds;
    }

    private void label(int y, int h, String text) {
        svg.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(y + h / 2 + 4)
                .append("\" text-anchor=\"end\">").append(HtmlReport.escape(text)).append("</text>\n");
    }

    private void frame(int y, int h) {
        svg.append("<rect x=\"").append(LEFT).append("\" y=\"").append(y).append("\" width=\"").append(PLOT_WIDTH)
                .append("\" height=\"").append(h).append("\" fill=\"none\" stroke=\"#999\" stroke-width=\"0.6\"/>\n");
    }

    private void rect(double x0, double x1, double y, double h, String fill, String title) {
        svg.append("<rect x=\"").append(Decimator.fmt(x0)).append("\" y=\"").append(Decimator.fmt(y))
                .append("\" width=\"").append(Decimator.fmt(Math.max(0.5, x1 - x0))).append("\" height=\"")
                .append(Decimator.fmt(h)).append("\" fill=\"").append(fill).append('"');
        if (title == null) {
            svg.append("/>\n");
        } else {
            svg.append("><title>").append(HtmlReport.escape(title)).append("</title></rect>\n");
        }
    }

    /** Runs of equal label category over the file's rows. */
    private void labelStrip(int y) {
        Recording rec = result.recording();
        label(y, STRIP, "label");
        int start = 0;
        for (int i = 1; i <= rec.rows(); i++) {
            if (i == rec.rows() || category(rec.labels()[i]) != category(rec.labels()[start])) {
                int c = category(rec.labels()[start]);
                Instant end = i == rec.rows() ? rec.times()[i - 1] : rec.times()[i];
                String[] fills = {LABEL_NONE, LABEL_NORMAL, LABEL_TRANSIENT, LABEL_FAULT};
                String[] names = {"unlabelled", "normal (0)", "transient (" + rec.labels()[start] + ")",
                        "fault (" + rec.labels()[start] + ")"};
                rect(x(rec.times()[start]), x(end), y, STRIP, fills[c], names[c] + " from " + rec.times()[start]);
                start = i;
            }
        }
        frame(y, STRIP);
    }

    /** 0 unlabelled, 1 normal, 2 transient (101..199), 3 fault. */
    private static int category(int label) {
        if (label == Recording.UNLABELLED) {
            return 0;
        }
        if (label == 0) {
            return 1;
        }
        return label > 100 ? 2 : 3;
    }

    /** Periods of the debounced alarm, coloured by level. */
    private void alarmStrip(int y) {
        List<Backtest.Step> steps = result.steps();
        label(y, STRIP, "AnomalyAlarm");
        int start = 0;
        for (int i = 1; i <= steps.size(); i++) {
            if (i == steps.size() || steps.get(i).alarmLevel() != steps.get(start).alarmLevel()) {
                RiskLevel level = steps.get(start).alarmLevel();
                if (level.isAlarm()) {
                    Instant end = i == steps.size() ? steps.get(i - 1).time() : steps.get(i).time();
                    rect(x(steps.get(start).time()), x(end), y, STRIP, ALARM_COLOURS[level.ordinal()],
                            "alarm " + level + " from " + steps.get(start).time() + " to " + end);
                }
                start = i;
            }
        }
        frame(y, STRIP);
    }

    private void lossPanel(int y) {
        List<Backtest.Step> steps = result.steps();
        int n = steps.size();
        double[] xs = new double[n];
        double[] loss = new double[n];
        double[] tol = new double[n];
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (int i = 0; i < n; i++) {
            var a = steps.get(i).assessment();
            xs[i] = x(steps.get(i).time());
            boolean scored = a.judgedRisk() != null && a.hasModel() && a.loss() > 0;
            loss[i] = scored ? a.loss() : Double.NaN;
            tol[i] = a.hasModel() ? a.tolerance() : Double.NaN;
            if (scored) {
                lo = Math.min(lo, a.loss());
                hi = Math.max(hi, a.loss());
            }
            if (tol[i] > 0) {
                lo = Math.min(lo, tol[i] * 0.5);
                hi = Math.max(hi, tol[i] * bands.high() * 1.3);
            }
        }
        svg.append("<text x=\"8\" y=\"").append(y + LOSS_HEIGHT / 2 - 6).append("\">loss, tolerance</text>")
                .append("<text x=\"8\" y=\"").append(y + LOSS_HEIGHT / 2 + 8)
                .append("\" font-size=\"9\" fill=\"#555\">log scale, with risk bands</text>\n");
        if (hi == 0) {
            svg.append("<text x=\"").append(LEFT + 10).append("\" y=\"").append(y + LOSS_HEIGHT / 2)
                    .append("\" fill=\"#666\">no model was trained on this file: nothing was scored</text>\n");
            frame(y, LOSS_HEIGHT);
            return;
        }
        // Below a hundredth of the tolerance a loss is simply "very good": the axis stops there.
        double minTolerance = Double.POSITIVE_INFINITY;
        for (double t : tol) {
            if (t > 0) {
                minTolerance = Math.min(minTolerance, t);
            }
        }
        if (minTolerance < Double.POSITIVE_INFINITY) {
            lo = Math.max(lo, minTolerance / 100);
        }
        double decLo = Math.floor(Math.log10(Math.max(lo, 1e-9)));
        double decHi = Math.ceil(Math.log10(hi));
        if (decHi <= decLo) {
            decHi = decLo + 1;
        }
        double dLo = decLo;
        double dHi = decHi;
        java.util.function.DoubleUnaryOperator yOf = v -> {
            double d = Math.log10(Math.max(v, Math.pow(10, dLo)));
            return y + LOSS_HEIGHT - LOSS_HEIGHT * (Math.min(d, dHi) - dLo) / (dHi - dLo);
        };
        // Risk bands: over each run of one tolerance, Low / Medium / High above it.
        int start = 0;
        for (int i = 1; i <= n; i++) {
            if (i == n || Double.compare(tol[i], tol[start]) != 0) {
                if (tol[start] > 0) {
                    double x0 = xs[start];
                    double x1 = i == n ? xs[n - 1] : xs[i];
                    double[] edges = {tol[start] * bands.low(), tol[start] * bands.medium(), tol[start] * bands.high(),
                            Math.pow(10, dHi)};
                    for (int b = 0; b < 3; b++) {
                        double yTop = yOf.applyAsDouble(edges[b + 1]);
                        rect(x0, x1, yTop, yOf.applyAsDouble(edges[b]) - yTop, BAND_FILLS[b], null);
                    }
                }
                start = i;
            }
        }
        for (double d = dLo; d <= dHi; d++) {
            double yy = yOf.applyAsDouble(Math.pow(10, d));
            svg.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(LEFT + PLOT_WIDTH).append("\" y1=\"")
                    .append(Decimator.fmt(yy)).append("\" y2=\"").append(Decimator.fmt(yy))
                    .append("\" stroke=\"#ddd\" stroke-width=\"0.6\"/>\n");
            svg.append("<text x=\"").append(LEFT - 4).append("\" y=\"").append(Decimator.fmt(yy + 4))
                    .append("\" text-anchor=\"end\" font-size=\"9\" fill=\"#555\">1e").append((int) d).append("</text>\n");
        }
        noModelYet(xs, tol, y);
        polyline(xs, tol, yOf, TOLERANCE_COLOUR, 1.6, "tolerance");
        polyline(xs, loss, yOf, LOSS_COLOUR, 1.2, "loss");
        frame(y, LOSS_HEIGHT);
    }

    /** Grey until the first model is in service: nothing can be scored there. */
    private void noModelYet(double[] xs, double[] tol, int y) {
        int first = 0;
        while (first < tol.length && !(tol[first] > 0)) {
            first++;
        }
        if (first > 0) {
            double x1 = first < xs.length ? xs[first] : LEFT + PLOT_WIDTH;
            rect(LEFT, x1, y, LOSS_HEIGHT, "#f0f0f0", "no model yet: the detector is learning");
            svg.append("<text x=\"").append(Decimator.fmt((LEFT + x1) / 2)).append("\" y=\"").append(y + LOSS_HEIGHT / 2)
                    .append("\" text-anchor=\"middle\" fill=\"#777\">learning the first model</text>\n");
        }
    }

    private void polyline(double[] xs, double[] values, java.util.function.DoubleUnaryOperator yOf, String colour,
                          double width, String title) {
        double[] ys = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            ys[i] = Double.isNaN(values[i]) ? Double.NaN : yOf.applyAsDouble(values[i]);
        }
        StringBuilder d = new StringBuilder();
        Decimator.path(xs, ys, BUCKET_PX, d);
        if (d.isEmpty()) {
            return;
        }
        svg.append("<path class=\"").append(title).append("\" fill=\"none\" stroke=\"").append(colour)
                .append("\" stroke-width=\"").append(width).append("\" stroke-linejoin=\"round\" d=\"").append(d)
                .append("\"><title>").append(title).append("</title></path>\n");
    }

    /** One sensor over the file's rows, scaled to its own minimum and maximum. */
    private void sensorPanel(int s, int y) {
        Recording rec = result.recording();
        double[] v = rec.sensors()[s];
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double d : v) {
            if (!Double.isNaN(d)) {
                min = Math.min(min, d);
                max = Math.max(max, d);
            }
        }
        String name = sensorNames.get(s);
        svg.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(y + 14).append("\" text-anchor=\"end\">")
                .append(HtmlReport.escape(name)).append("</text>\n");
        String range = min > max ? "no values" : min == max ? "constant " + number(min) : number(min) + " … " + number(max);
        svg.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(y + 28)
                .append("\" text-anchor=\"end\" font-size=\"9\" fill=\"#555\">").append(range).append("</text>\n");
        if (min <= max) {
            double[] xs = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                xs[i] = x(rec.times()[i]);
            }
            double lo = min;
            double span = max - min;
            java.util.function.DoubleUnaryOperator yOf = span == 0 ? d -> y + SENSOR_HEIGHT / 2.0
                    : d -> y + SENSOR_HEIGHT - 2 - (SENSOR_HEIGHT - 4) * (d - lo) / span;
            polyline(xs, v, yOf, SENSOR_COLOURS[s % SENSOR_COLOURS.length], 1.0, "sensor");
        }
        frame(y, SENSOR_HEIGHT);
    }

    private void retrainings(int top, int bottom) {
        for (Backtest.Retraining r : result.retrainings()) {
            double x = x(r.time());
            String colour = r.accepted() ? RETRAIN_COLOUR : "#999999";
            String title = r.accepted()
                    ? String.format(Locale.ROOT, "model v%d in service at %s (tolerance %.4f, %d samples)", r.version(),
                    r.time(), r.tolerance(), r.samples())
                    : "retraining at " + r.time() + " not put in service: its tolerance grew more than maxToleranceGrowth";
            svg.append("<g><title>").append(HtmlReport.escape(title)).append("</title><line x1=\"").append(Decimator.fmt(x))
                    .append("\" x2=\"").append(Decimator.fmt(x)).append("\" y1=\"").append(top).append("\" y2=\"")
                    .append(bottom).append("\" stroke=\"").append(colour)
                    .append("\" stroke-width=\"1\" stroke-dasharray=\"3 3\"/>");
            svg.append("<text x=\"").append(Decimator.fmt(x + 2)).append("\" y=\"").append(bottom + 12)
                    .append("\" font-size=\"9\" fill=\"").append(colour).append("\">")
                    .append(r.accepted() ? "v" + r.version() : "×").append("</text></g>\n");
        }
    }

    private void grid(int top, int bottom) {
        for (Instant t : ticks()) {
            double x = x(t);
            svg.append("<line x1=\"").append(Decimator.fmt(x)).append("\" x2=\"").append(Decimator.fmt(x))
                    .append("\" y1=\"").append(top).append("\" y2=\"").append(bottom)
                    .append("\" stroke=\"#eee\" stroke-width=\"1\"/>\n");
        }
    }

    private void timeAxis(int y) {
        boolean first = true;
        String lastDay = "";
        for (Instant t : ticks()) {
            ZonedDateTime z = t.atZone(ZoneOffset.UTC);
            double x = x(t);
            svg.append("<line x1=\"").append(Decimator.fmt(x)).append("\" x2=\"").append(Decimator.fmt(x))
                    .append("\" y1=\"").append(y).append("\" y2=\"").append(y + 4).append("\" stroke=\"#666\"/>");
            svg.append("<text x=\"").append(Decimator.fmt(x)).append("\" y=\"").append(y + 24)
                    .append("\" text-anchor=\"middle\">").append(HOUR_MINUTE.format(z)).append("</text>\n");
            String day = DAY.format(z);
            if (first || !day.equals(lastDay)) {
                svg.append("<text x=\"").append(Decimator.fmt(x)).append("\" y=\"").append(y + 36)
                        .append("\" text-anchor=\"middle\" font-size=\"9\" fill=\"#555\">").append(day).append("</text>\n");
            }
            first = false;
            lastDay = day;
        }
        svg.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(y + 24)
                .append("\" text-anchor=\"end\" fill=\"#555\">time (UTC)</text>\n");
    }

    /** Round times about every 1/8 of the span. */
    private List<Instant> ticks() {
        long[] steps = {60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800};
        long step = steps[steps.length - 1];
        for (long s : steps) {
            if (spanSeconds / s <= 10) {
                step = s;
                break;
            }
        }
        long first = (t0.getEpochSecond() / step + (t0.getEpochSecond() % step == 0 ? 0 : 1)) * step;
        List<Instant> ticks = new java.util.ArrayList<>();
        for (long t = first; t <= t0.getEpochSecond() + spanSeconds; t += step) {
            ticks.add(Instant.ofEpochSecond(t));
        }
        return ticks;
    }

    static String number(double v) {
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e5 || a < 1e-2)) {
            return String.format(Locale.ROOT, "%.4g", v).replace("e+0", "e").replace("e+", "e");
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
