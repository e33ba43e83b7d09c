package io.wellwatch.backtest;

import io.wellwatch.config.WellConfig;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Reads a historian export (CSV with a header line) into a {@link Recording} for one well, through a
 * {@link CsvLayout}. Every problem is an {@link IOException} whose message starts with
 * {@code file:line:}: a missing column (line 1, with the columns the file has), a bad time, a time
 * earlier than the previous row's, a cell that is not a number, a row with the wrong number of cells.
 * Cells may be wrapped in double quotes (without the delimiter inside); empty cells are missing values.
 */
public final class HistorianCsv {

    private HistorianCsv() {
    }

    public static Recording read(Path file, String name, CsvLayout layout, WellConfig well) throws IOException {
        TimestampParser timeParser = new TimestampParser(layout.timestamp());
        if (!Files.isRegularFile(file)) {
            throw new IOException(name + ": " + (Files.exists(file) ? "not a file" : "file not found"));
        }
        // Lenient decoding: a stray Latin-1 byte (a unit in a header, say) must not hide the real problem.
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
            String headerLine = in.readLine();
            if (headerLine == null) {
                throw problem(name, 1, "empty file, expected a header line");
            }
            List<String> header = Arrays.asList(cells(headerLine.replace("\uFEFF", ""), layout.delimiter()));
            Map<String, Integer> columns = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                columns.putIfAbsent(header.get(i), i);
            }
            int timeCell = require(columns, layout.timestamp().column(), "the time", name, header);
            int[] sensorCells = new int[well.sensors().size()];
            for (int s = 0; s < sensorCells.length; s++) {
                String sensor = well.sensors().get(s).name();
                sensorCells[s] = require(columns, layout.sensorColumn(sensor), "sensor " + sensor, name, header);
            }
            int[] valveCells = new int[well.valves().size()];
            for (int v = 0; v < valveCells.length; v++) {
                String valve = well.valves().get(v).name();
                String column = layout.valveColumn(valve);
                valveCells[v] = column != null ? require(columns, column, "valve " + valve, name, header)
                        : columns.getOrDefault(CsvLayout.THREE_W_VALVE_PREFIX + valve, -1);
            }
            int labelCell = columns.getOrDefault(layout.label(), -1);

            List<Instant> times = new ArrayList<>();
            Columns sensors = new Columns(sensorCells.length);
            Columns valves = new Columns(valveCells.length);
            IntStream.Builder labels = IntStream.builder();
            boolean anyLabel = false;
            double[] sensorRow = new double[sensorCells.length];
            double[] valveRow = new double[valveCells.length];
            String line;
            int lineNo = 1;
            Instant previous = null;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = cells(line, layout.delimiter());
                if (cells.length != header.size()) {
                    throw problem(name, lineNo, "expected " + header.size() + " cells as in the header, got " + cells.length);
                }
                Instant time;
                try {
                    time = timeParser.parse(cells[timeCell]);
                } catch (DateTimeException e) {
                    throw problem(name, lineNo, "column '" + header.get(timeCell) + "': bad time '" + cells[timeCell]
                            + "' (expected " + timeParser.expected() + ")");
                }
                if (previous != null && time.isBefore(previous)) {
                    throw problem(name, lineNo, "time " + time + " is earlier than the previous row's " + previous
                            + " (rows must be sorted by time)");
                }
                previous = time;
                for (int s = 0; s < sensorCells.length; s++) {
                    sensorRow[s] = number(cells, sensorCells[s], header, name, lineNo);
                }
                for (int v = 0; v < valveCells.length; v++) {
                    valveRow[v] = valveCells[v] < 0 ? Double.NaN : number(cells, valveCells[v], header, name, lineNo);
                }
                int label = labelCell < 0 ? Recording.UNLABELLED : label(cells[labelCell], header.get(labelCell), name, lineNo);
                anyLabel |= label != Recording.UNLABELLED;
                times.add(time);
                sensors.add(sensorRow);
                valves.add(valveRow);
                labels.add(label);
            }
            if (times.isEmpty()) {
                throw problem(name, lineNo, "no data rows after the header");
            }
            double[][] valveColumns = valves.toArrays();
            for (int v = 0; v < valveCells.length; v++) {
                if (valveCells[v] < 0) {
                    valveColumns[v] = null;
                }
            }
            return new Recording(name, times.toArray(Instant[]::new), sensors.toArrays(), valveColumns,
                    labels.build().toArray(), anyLabel);
        }
    }

    private static int require(Map<String, Integer> columns, String column, String what, String name, List<String> header)
            throws IOException {
        Integer i = columns.get(column);
        if (i == null) {
            throw problem(name, 1, "no column '" + column + "' for " + what + "; the file has " + printable(header)
                    + " (map other names with --mapping FILE)");
        }
        return i;
    }

    /** The header as a reader can take it: a binary file's "header" is control bytes and can be long. */
    private static String printable(List<String> header) {
        String text = header.toString();
        long unprintable = text.chars().filter(c -> Character.isISOControl(c) || c == 0xFFFD).count();
        if (unprintable > 0) {
            return "no readable header (" + unprintable + " control or undecodable characters in line 1: not a CSV text file?)";
        }
        return text.length() <= 300 ? text : text.substring(0, 300) + "…] (" + header.size() + " columns)";
    }

    private static double number(String[] cells, int cell, List<String> header, String name, int lineNo) throws IOException {
        String s = cells[cell];
        if (s.isEmpty()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw problem(name, lineNo, "column '" + header.get(cell) + "': '" + s + "' is not a number");
        }
    }

    private static int label(String s, String column, String name, int lineNo) throws IOException {
        if (s.isEmpty()) {
            return Recording.UNLABELLED;
        }
        try {
            double d = Double.parseDouble(s); // labels are whole numbers, sometimes written as 3.0
            if (d == Math.rint(d) && d >= 0 && d < 1000) {
                return (int) d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw problem(name, lineNo, "column '" + column + "': label '" + s + "' is not a whole number in 0..999");
    }

    private static IOException problem(String name, int lineNo, String what) {
        return new IOException(name + ":" + lineNo + ": " + what);
    }

    private static String[] cells(String line, char delimiter) {
        String[] cells = line.split(java.util.regex.Pattern.quote(String.valueOf(delimiter)), -1);
        for (int i = 0; i < cells.length; i++) {
            String c = cells[i].strip();
            if (c.length() >= 2 && c.charAt(0) == '"' && c.charAt(c.length() - 1) == '"') {
                c = c.substring(1, c.length() - 1).strip();
            }
            cells[i] = c;
        }
        return cells;
    }

    /** Rows of doubles collected into column arrays. */
    private static final class Columns {
        private double[][] cols;
        private int size;

        Columns(int width) {
            cols = new double[width][4096];
        }

        void add(double[] row) {
            for (int c = 0; c < cols.length; c++) {
                if (size == cols[c].length) {
                    cols[c] = Arrays.copyOf(cols[c], size * 2);
                }
                cols[c][size] = row[c];
            }
            size++;
        }

        double[][] toArrays() {
            double[][] out = new double[cols.length][];
            for (int c = 0; c < cols.length; c++) {
                out[c] = Arrays.copyOf(cols[c], size);
            }
            return out;
        }
    }
}
