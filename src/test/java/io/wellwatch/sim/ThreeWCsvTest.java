package io.wellwatch.sim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThreeWCsvTest {

    static final Path DATA = Path.of("src/data/3w");
    static final Path DATA_V2 = Path.of("src/data/3w-v2");
    static final List<String> V1_COLUMNS =
            List.of("P-PDG", "P-TPT", "T-TPT", "P-MON-CKP", "T-JUS-CKP", "P-JUS-CKGL", "T-JUS-CKGL", "QGL");

    @Test
    void normalInstance() throws IOException {
        ThreeWCsv csv = ThreeWCsv.read(DATA.resolve("0-WELL-00001_20170201020207.csv"));

        assertThat(csv.rowCount()).isEqualTo(17874);
        assertThat(csv.columnNames()).containsExactlyElementsOf(V1_COLUMNS);
        assertThat(csv.firstTimestamp()).isEqualTo(Instant.parse("2017-02-01T02:02:07Z"));
        assertThat(csv.lastTimestamp()).isEqualTo(Instant.parse("2017-02-01T07:00:00Z"));
        assertThat(csv.step()).isEqualTo(Duration.ofSeconds(1));
        assertThat(csv.span()).isEqualTo(Duration.ofSeconds(17874));
        assertThat(csv.labels()).containsOnly(0);
        assertThat(boxed(csv.column("T-JUS-CKGL"))).allMatch(d -> d.isNaN());
        // first data line: 2017-02-01 02:02:07.000000,0.000000e+00,1.009211e+07,1.190944e+02,...
        assertThat(csv.value(0, "P-PDG")).isEqualTo(0.0);
        assertThat(csv.value(0, "P-TPT")).isEqualTo(1.009211e+07);
        assertThat(csv.value(0, "T-TPT")).isEqualTo(1.190944e+02);
        assertThat(csv.value(0, csv.columnIndex("QGL"))).isEqualTo(0.0);
    }

    @Test
    void dhsvClosureInstanceLabels() throws IOException {
        ThreeWCsv csv = ThreeWCsv.read(DATA.resolve("2-WELL-00002_20131104014101.csv"));

        assertThat(csv.rowCount()).isEqualTo(9121);
        assertLabels(csv, 1, 3756, 0);
        assertLabels(csv, 3757, 3809, ThreeWCsv.UNLABELLED);
        assertLabels(csv, 3810, 8905, 102);
        assertLabels(csv, 8906, 8911, ThreeWCsv.UNLABELLED);
        assertLabels(csv, 8912, 9121, 2);
        assertThat(boxed(csv.column("T-JUS-CKGL"))).allMatch(d -> d.isNaN());
        assertThat(boxed(csv.column("P-TPT"))).noneMatch(d -> d.isNaN());
        assertThat(csv.lastTimestamp()).isEqualTo(Instant.parse("2013-11-04T04:13:01Z"));
    }

    @Test
    void chokeRestrictionInstanceLabels() throws IOException {
        ThreeWCsv csv = ThreeWCsv.read(DATA.resolve("6-WELL-00002_20140212170333.csv"));

        assertThat(csv.rowCount()).isEqualTo(24370);
        assertLabels(csv, 1, 15018, 0);
        assertLabels(csv, 15019, 15097, ThreeWCsv.UNLABELLED);
        assertLabels(csv, 15098, 17503, 106);
        assertLabels(csv, 17504, 17663, ThreeWCsv.UNLABELLED);
        assertLabels(csv, 17664, 24370, 6);
        assertThat(boxed(csv.column("T-JUS-CKGL"))).allMatch(d -> d.isNaN());
        assertThat(csv.firstTimestamp()).isEqualTo(Instant.parse("2014-02-12T17:03:33Z"));
        assertThat(csv.lastTimestamp()).isEqualTo(Instant.parse("2014-02-12T23:49:42Z"));
    }

    @Test
    void version2InstanceWithValveColumnsAndMillisecondTimestamps() throws IOException {
        ThreeWCsv csv = ThreeWCsv.read(DATA_V2.resolve("3-WELL-00001_20170320120025.csv"));

        assertThat(csv.rowCount()).isEqualTo(21576);
        assertThat(csv.columnNames()).contains("ESTADO-DHSV", "ESTADO-M1", "ESTADO-XO", "P-ANULAR", "state")
                .doesNotContain("timestamp", "class");
        assertThat(csv.firstTimestamp()).isEqualTo(Instant.parse("2017-03-20T12:00:25Z"));
        assertLabels(csv, 1, 3600, ThreeWCsv.UNLABELLED);
        assertLabels(csv, 3601, 21576, 3);
        assertThat(csv.column("ESTADO-DHSV")).containsOnly(1.0);
        assertThat(csv.column("ESTADO-M2")).containsOnly(0.0);
        assertThat(boxed(csv.column("ABER-CKGL"))).allMatch(d -> d.isNaN());
        assertThat(csv.value(0, "P-TPT")).isEqualTo(14046500.0);
    }

    @Test
    void fractionalSecondsAndBlankTrailingLine(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("small.csv");
        Files.writeString(f, "timestamp,A,class\r\n"
                + "2020-01-01 00:00:00.250000,1.5,\r\n"
                + "2020-01-01 00:00:01.5,,7\r\n"
                + "\r\n");
        ThreeWCsv csv = ThreeWCsv.read(f);

        assertThat(csv.rowCount()).isEqualTo(2);
        assertThat(csv.timestamp(0)).isEqualTo(Instant.parse("2020-01-01T00:00:00.250Z"));
        assertThat(csv.timestamp(1)).isEqualTo(Instant.parse("2020-01-01T00:00:01.500Z"));
        assertThat(csv.value(0, "A")).isEqualTo(1.5);
        assertThat(csv.value(1, "A")).isNaN();
        assertThat(csv.labels()).containsExactly(ThreeWCsv.UNLABELLED, 7);
    }

    @Test
    void malformedFilesNameFileAndLine(@TempDir Path dir) throws IOException {
        Path wrongWidth = dir.resolve("wrong-width.csv");
        Files.writeString(wrongWidth, "timestamp,A,class\n2020-01-01 00:00:00,1,0\n2020-01-01 00:00:01,2\n");
        assertThatThrownBy(() -> ThreeWCsv.read(wrongWidth))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("wrong-width.csv:3")
                .hasMessageContaining("expected 3 cells, got 2");

        Path badNumber = dir.resolve("bad-number.csv");
        Files.writeString(badNumber, "timestamp,A,class\n2020-01-01 00:00:00,1,0\n2020-01-01 00:00:01,x1,0\n");
        assertThatThrownBy(() -> ThreeWCsv.read(badNumber))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("bad-number.csv:3")
                .hasMessageContaining("'x1' is not a number");

        Path badTime = dir.resolve("bad-time.csv");
        Files.writeString(badTime, "timestamp,A\n01/01/2020 00:00,1\n");
        assertThatThrownBy(() -> ThreeWCsv.read(badTime))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("bad-time.csv:2")
                .hasMessageContaining("bad timestamp");

        Path badHeader = dir.resolve("bad-header.csv");
        Files.writeString(badHeader, "time,A\n2020-01-01 00:00:00,1\n");
        assertThatThrownBy(() -> ThreeWCsv.read(badHeader))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("bad-header.csv:1");

        Path noRows = dir.resolve("no-rows.csv");
        Files.writeString(noRows, "timestamp,A\n");
        assertThatThrownBy(() -> ThreeWCsv.read(noRows))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no-rows.csv")
                .hasMessageContaining("no data rows");

        assertThatThrownBy(() -> ThreeWCsv.read(dir.resolve("missing.csv"))).isInstanceOf(IOException.class);
    }

    static List<Double> boxed(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    /** Rows are 1-based and inclusive, as in src/data/3w/README.md. */
    private static void assertLabels(ThreeWCsv csv, int fromRow, int toRow, int label) {
        int[] slice = Arrays.copyOfRange(csv.labels(), fromRow - 1, toRow);
        assertThat(slice).as("labels of rows %d-%d", fromRow, toRow).containsOnly(label);
    }
}
