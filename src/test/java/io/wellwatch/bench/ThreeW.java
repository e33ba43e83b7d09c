package io.wellwatch.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads a 3W instance CSV (dataset v1 layout) for benchmarks and experiments. */
public final class ThreeW {

    /** Sensors used, in feature order (T-JUS-CKGL is empty in every file and skipped). */
    public static final List<String> SENSORS =
            List.of("P-PDG", "P-TPT", "T-TPT", "P-MON-CKP", "T-JUS-CKP", "P-JUS-CKGL", "QGL");
    /** Scaler spans: pressures 1e5 Pa, temperatures 1 degC, QGL 0.01 sm3/s. */
    public static final double[] SPANS = {1e5, 1e5, 1.0, 1e5, 1.0, 1e5, 0.01};

    /** Rows of one file: sensor values and class label (-1 when unlabelled). */
    public record Data(double[][] rows, int[] labels) {
        public Data slice(int from, int to) {
            return new Data(Arrays.copyOfRange(rows, from, to), Arrays.copyOfRange(labels, from, to));
        }

        public int size() {
            return rows.length;
        }
    }

    private ThreeW() {
    }

    /** Reads every {@code every}-th row; rows with an empty sensor cell are dropped. */
    public static Data read(Path csv, int every) throws IOException {
        List<double[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            List<String> header = Arrays.asList(in.readLine().split(",", -1));
            int[] cols = SENSORS.stream().mapToInt(header::indexOf).toArray();
            int classCol = header.indexOf("class");
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                if (line.isBlank() || n++ % every != 0) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                double[] row = new double[cols.length];
                boolean ok = true;
                for (int i = 0; i < cols.length && ok; i++) {
                    String c = cells[cols[i]];
                    if (c.isEmpty()) {
                        ok = false;
                    } else {
                        row[i] = Double.parseDouble(c);
                    }
                }
                if (ok) {
                    rows.add(row);
                    String label = cells[classCol];
                    labels.add(label.isEmpty() ? -1 : (int) Double.parseDouble(label));
                }
            }
        }
        return new Data(rows.toArray(double[][]::new), labels.stream().mapToInt(Integer::intValue).toArray());
    }
}
