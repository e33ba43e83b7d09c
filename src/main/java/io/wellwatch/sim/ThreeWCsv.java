package io.wellwatch.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One 3W instance file (dataset v1 or v2 CSV layout) held in memory, column by column.
 *
 * <p>Layout: a header whose first cell is {@code timestamp}, then one numeric column per tag and
 * optionally a {@code class} column (the label); every following line is one sample. Timestamps are
 * {@code yyyy-MM-dd HH:mm:ss} with an optional fraction of up to nine digits ({@code .ffffff} in v1,
 * {@code .fff} in v2) and are read as UTC. An empty cell is a value missing in the source: numeric
 * columns hold {@link Double#NaN} there, the label holds {@link #UNLABELLED}.
 *
 * <p>Indexes in this class are 0-based data-row indexes (index 0 is the first line after the
 * header). The simulator and the config speak of 1-based "rows" as the dataset README does; row
 * {@code r} is index {@code r - 1}.
 *
 * <p>Instances are immutable; the arrays handed out are copies.
 */
public final class ThreeWCsv {

    /** Name of the mandatory first column. */
    public static final String TIMESTAMP_COLUMN = "timestamp";
    /** Name of the optional label column. */
    public static final String CLASS_COLUMN = "class";
    /** Label of a row whose class cell is empty (or of every row when there is no class column). */
    public static final int UNLABELLED = -1;

    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd()
            .toFormatter();

    private final Path file;
    private final List<String> columnNames;
    private final Map<String, Integer> columnIndex;
    private final double[][] columns;
    private final Instant[] timestamps;
    private final int[] labels;

    private ThreeWCsv(Path file, List<String> columnNames, double[][] columns, Instant[] timestamps, int[] labels) {
        this.file = file;
        this.columnNames = List.copyOf(columnNames);
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < columnNames.size(); i++) {
            index.put(columnNames.get(i), i);
        }
        this.columnIndex = Collections.unmodifiableMap(index);
        this.columns = columns;
        this.timestamps = timestamps;
        this.labels = labels;
    }

    /**
     * Reads a whole 3W CSV file.
     *
     * @throws IOException when the file cannot be read, or is malformed (the message names the file
     *                     and the 1-based line number), or has no data rows
     */
    public static ThreeWCsv read(Path file) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) {
                throw malformed(file, 1, "empty file, expected a header starting with '" + TIMESTAMP_COLUMN + "'");
            }
            if (!header.isEmpty() && header.charAt(0) == '\uFEFF') {
                header = header.substring(1); // UTF-8 byte order mark
            }
            String[] names = split(stripCr(header));
            if (!TIMESTAMP_COLUMN.equals(names[0].trim())) {
                throw malformed(file, 1, "first header cell must be '" + TIMESTAMP_COLUMN + "', got '" + names[0] + "'");
            }
            int classCell = -1;
            List<String> dataNames = new ArrayList<>();
            int[] cellToColumn = new int[names.length];
            Arrays.fill(cellToColumn, -1);
            Set<String> seen = new HashSet<>();
            for (int c = 1; c < names.length; c++) {
                String name = names[c].trim();
                if (name.isEmpty()) {
                    throw malformed(file, 1, "header cell " + (c + 1) + " is empty");
                }
                if (!seen.add(name) || TIMESTAMP_COLUMN.equals(name)) {
                    throw malformed(file, 1, "duplicate column '" + name + "'");
                }
                if (CLASS_COLUMN.equals(name)) {
                    classCell = c;
                } else {
                    cellToColumn[c] = dataNames.size();
                    dataNames.add(name);
                }
            }

            int width = dataNames.size();
            GrowableColumns data = new GrowableColumns(width);
            List<Instant> times = new ArrayList<>();
            IntList labels = new IntList();
            String line;
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                line = stripCr(line);
                if (line.isBlank()) {
                    continue; // tolerate blank lines, e.g. a trailing one
                }
                String[] cells = split(line);
                if (cells.length != names.length) {
                    throw malformed(file, lineNo, "expected " + names.length + " cells, got " + cells.length);
                }
                Instant time;
                try {
                    time = LocalDateTime.parse(cells[0].trim(), TIMESTAMP).toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException e) {
                    throw malformed(file, lineNo, "bad timestamp '" + cells[0] + "' (expected yyyy-MM-dd HH:mm:ss[.fff...])");
                }
                double[] row = new double[width];
                int label = UNLABELLED;
                for (int c = 1; c < cells.length; c++) {
                    String cell = cells[c].trim();
                    if (c == classCell) {
                        label = parseLabel(file, lineNo, cell);
                    } else {
                        row[cellToColumn[c]] = parseNumber(file, lineNo, names[c], cell);
                    }
                }
                data.add(row);
                times.add(time);
                labels.add(label);
            }
            if (times.isEmpty()) {
                throw new IOException(file + ": no data rows after the header");
            }
            return new ThreeWCsv(file, dataNames, data.toColumns(), times.toArray(Instant[]::new), labels.toArray());
        }
    }

    /** The file this was read from. */
    public Path file() {
        return file;
    }

    /** Number of data rows. */
    public int rowCount() {
        return timestamps.length;
    }

    /** Names of the numeric columns in file order, without {@code timestamp} and {@code class}. */
    public List<String> columnNames() {
        return columnNames;
    }

    public boolean hasColumn(String name) {
        return columnIndex.containsKey(name);
    }

    /** Position of a numeric column in {@link #columnNames()}. */
    public int columnIndex(String name) {
        Integer i = columnIndex.get(name);
        if (i == null) {
            throw new IllegalArgumentException(file + " has no column '" + name + "'; columns: " + columnNames);
        }
        return i;
    }

    /** A copy of a numeric column, NaN where the cell was empty. */
    public double[] column(String name) {
        return columns[columnIndex(name)].clone();
    }

    /** Value of numeric column {@code column} (position in {@link #columnNames()}) at data-row index {@code index}. */
    public double value(int index, int column) {
        return columns[column][index];
    }

    public double value(int index, String column) {
        return columns[columnIndex(column)][index];
    }

    /** Timestamp of data-row index {@code index} (UTC). */
    public Instant timestamp(int index) {
        return timestamps[index];
    }

    /** Class label at data-row index {@code index}, {@link #UNLABELLED} where empty. */
    public int label(int index) {
        return labels[index];
    }

    /** A copy of all class labels. */
    public int[] labels() {
        return labels.clone();
    }

    public Instant firstTimestamp() {
        return timestamps[0];
    }

    public Instant lastTimestamp() {
        return timestamps[timestamps.length - 1];
    }

    /**
     * Mean spacing of the rows (1 s for 3W); 1 s when there is a single row or the timestamps do
     * not advance.
     */
    public Duration step() {
        if (timestamps.length < 2) {
            return Duration.ofSeconds(1);
        }
        Duration total = Duration.between(firstTimestamp(), lastTimestamp());
        if (total.isZero() || total.isNegative()) {
            return Duration.ofSeconds(1);
        }
        return total.dividedBy(timestamps.length - 1);
    }

    /**
     * Time covered by the file when replayed in a loop: first to last timestamp plus one step, so
     * that the first row of the next pass comes one step after the last row of this one.
     */
    public Duration span() {
        return Duration.between(firstTimestamp(), lastTimestamp()).plus(step());
    }

    @Override
    public String toString() {
        return "ThreeWCsv[" + file + ", " + rowCount() + " rows, columns " + columnNames + "]";
    }

    private static double parseNumber(Path file, int lineNo, String column, String cell) throws IOException {
        if (cell.isEmpty()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            throw malformed(file, lineNo, "column '" + column.trim() + "': '" + cell + "' is not a number");
        }
    }

    private static int parseLabel(Path file, int lineNo, String cell) throws IOException {
        if (cell.isEmpty()) {
            return UNLABELLED;
        }
        try {
            double d = Double.parseDouble(cell); // labels are integers, sometimes written as 3.0
            if (d != Math.rint(d) || d < 0 || d > Integer.MAX_VALUE) {
                throw malformed(file, lineNo, "class '" + cell + "' is not a non-negative integer");
            }
            return (int) d;
        } catch (NumberFormatException e) {
            throw malformed(file, lineNo, "class '" + cell + "' is not a non-negative integer");
        }
    }

    private static IOException malformed(Path file, int lineNo, String what) {
        return new IOException(file + ":" + lineNo + ": malformed 3W CSV: " + what);
    }

    private static String stripCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    /** Splits on commas keeping empty cells (the files use no quoting). */
    private static String[] split(String line) {
        return line.split(",", -1);
    }

    /** Row-wise collection of doubles turned into column arrays at the end. */
    private static final class GrowableColumns {
        private final int width;
        private double[][] cols;
        private int size;

        GrowableColumns(int width) {
            this.width = width;
            this.cols = new double[width][1024];
        }

        void add(double[] row) {
            if (size == capacity()) {
                for (int c = 0; c < width; c++) {
                    cols[c] = Arrays.copyOf(cols[c], size * 2);
                }
            }
            for (int c = 0; c < width; c++) {
                cols[c][size] = row[c];
            }
            size++;
        }

        private int capacity() {
            return width == 0 ? Integer.MAX_VALUE : cols[0].length;
        }

        double[][] toColumns() {
            double[][] out = new double[width][];
            for (int c = 0; c < width; c++) {
                out[c] = Arrays.copyOf(cols[c], size);
            }
            return out;
        }
    }

    private static final class IntList {
        private int[] items = new int[1024];
        private int size;

        void add(int v) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
            }
            items[size++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(items, size);
        }
    }
}
