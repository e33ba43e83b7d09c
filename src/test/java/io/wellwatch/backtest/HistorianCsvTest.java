package io.wellwatch.backtest;

import io.wellwatch.cli.Main;
import io.wellwatch.config.ConfigException;
import io.wellwatch.config.ConfigLoader;
import io.wellwatch.config.WellConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Historian exports in other layouts through a mapping file, and the messages a user gets for a bad
 * CSV or a bad mapping: each names the file and the line.
 */
class HistorianCsvTest {

    @TempDir
    Path dir;

    private static final String WELL_YAML = """
            wells:
              - id: W1
                endpoint: opc.tcp://127.0.0.1:4841/plc
                sensors:
                  - { name: P-TPT, nodeId: "ns=2;s=P" }
                  - { name: T-TPT, nodeId: "ns=2;s=T" }
                valves:
                  - { name: DHSV, nodeId: "ns=2;s=V" }
                  - { name: M1, nodeId: "ns=2;s=M" }
            """;

    private static WellConfig well() throws ConfigException {
        return ConfigLoader.parse(WELL_YAML, "well.yaml", Path.of(".")).wells().get(0);
    }

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private CsvLayout historianLayout() throws Exception {
        return CsvLayout.load(write("mapping.yaml", """
                timestamp: { column: Time, format: "dd/MM/yyyy HH:mm:ss", zone: "-03:00" }
                delimiter: ";"
                sensors: { P-TPT: "PT 101", T-TPT: "TT 102" }
                valves: { DHSV: "XV-1" }
                label: Event
                """));
    }

    @Test
    void aHistorianLayoutIsReadThroughItsMapping() throws Exception {
        Path csv = write("plant.csv", """
                Time;PT 101;Unused;TT 102;XV-1;Event
                01/05/2024 07:00:00;"100.5";x;50;1;0
                01/05/2024 07:00:01;;x;51;0;
                01/05/2024 07:00:02;102;x;52;1;105
                """);
        Recording r = HistorianCsv.read(csv, "plant.csv", historianLayout(), well());
        assertThat(r.rows()).isEqualTo(3);
        assertThat(r.times()[0]).as("local time -03:00").isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        assertThat(r.sensors()[0]).containsExactly(100.5, Double.NaN, 102);
        assertThat(r.sensors()[1]).containsExactly(50, 51, 52);
        assertThat(r.valves()[0]).containsExactly(1, 0, 1);
        assertThat(r.valves()[1]).as("M1 has no column: taken as open").isNull();
        assertThat(r.labels()).containsExactly(0, Recording.UNLABELLED, 105);
        assertThat(r.labelled()).isTrue();
    }

    @Test
    void badCsvsAreReportedWithFileAndLine() throws Exception {
        CsvLayout layout = historianLayout();
        WellConfig well = well();
        String header = "Time;PT 101;TT 102;XV-1;Event\n";
        assertThatThrownBy(() -> HistorianCsv.read(write("a.csv", "Time;PT 101;XV-1\n01/05/2024 07:00:00;1;1\n"),
                "a.csv", layout, well))
                .hasMessageStartingWith("a.csv:1: no column 'TT 102' for sensor T-TPT; the file has [Time, PT 101, XV-1]");
        assertThatThrownBy(() -> HistorianCsv.read(dir.resolve("none.csv"), "none.csv", layout, well))
                .hasMessage("none.csv: file not found");
        assertThatThrownBy(() -> HistorianCsv.read(write("b.csv", header
                + "01/05/2024 07:00:00;1;2;1;0\n01/05/2024 07:00:01;1;5;2;1;0\n"), "b.csv", layout, well))
                .hasMessage("b.csv:3: expected 5 cells as in the header, got 6");
        assertThatThrownBy(() -> HistorianCsv.read(write("c.csv", header
                + "01/05/2024 07:00:00;1;2;1;0\n01/05/2024 07:00:01;1;hot;1;0\n"), "c.csv", layout, well))
                .hasMessage("c.csv:3: column 'TT 102': 'hot' is not a number");
        assertThatThrownBy(() -> HistorianCsv.read(write("d.csv", header
                + "01/05/2024 07:00:05;1;2;1;0\n01/05/2024 07:00:01;1;2;1;0\n"), "d.csv", layout, well))
                .hasMessageStartingWith("d.csv:3: time 2024-05-01T10:00:01Z is earlier than the previous row's 2024-05-01T10:00:05Z");
        assertThatThrownBy(() -> HistorianCsv.read(write("e.csv", header + "2024-05-01 07:00:00;1;2;1;0\n"),
                "e.csv", layout, well))
                .hasMessage("e.csv:2: column 'Time': bad time '2024-05-01 07:00:00' (expected dd/MM/yyyy HH:mm:ss)");
        assertThatThrownBy(() -> HistorianCsv.read(write("f.csv", header + "01/05/2024 07:00:00;1;2;1;abnormal\n"),
                "f.csv", layout, well))
                .hasMessage("f.csv:2: column 'Event': label 'abnormal' is not a whole number in 0..999");
        byte[] binary = new byte[4096];
        new java.util.Random(7).nextBytes(binary);
        Path bin = dir.resolve("g.csv");
        Files.write(bin, binary);
        assertThatThrownBy(() -> HistorianCsv.read(bin, "g.csv", layout, well))
                .hasMessageStartingWith("g.csv:1: no column 'Time'")
                .hasMessageContaining("no readable header")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300).doesNotContainPattern("\\p{Cntrl}"));
    }

    @Test
    void badMappingFilesAreReportedWithFileLineAndField() throws Exception {
        Path unknown = write("m1.yaml", "delimiter: \";\"\nsensor: { P-TPT: PT }\n");
        assertThatThrownBy(() -> CsvLayout.load(unknown)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(unknown + ":2: sensor: unknown key 'sensor'");
        Path pattern = write("m2.yaml", "timestamp:\n  column: T\n  format: \"yyyy-MM-dd HH:mm:ss b\"\n");
        assertThatThrownBy(() -> CsvLayout.load(pattern)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(pattern + ":").hasMessageContaining("timestamp")
                .hasMessageContaining("is not a date-time pattern");
        Path typo = write("m4.yaml", "sensors: { P-TPT: PT, T-TTP: TT }\n");
        assertThatThrownBy(() -> CsvLayout.load(typo).requireNamesOf(well(), typo)).isInstanceOf(ConfigException.class)
                .hasMessage(typo + ":1: sensors.T-TTP: unknown sensor 'T-TTP': well W1 has P-TPT, T-TPT");
        Path valve = write("m5.yaml", "timestamp: { column: T }\nvalves:\n  DHSV: XV-1\n  DHVS: XV\n");
        assertThatThrownBy(() -> CsvLayout.load(valve).requireNamesOf(well(), valve))
                .hasMessage(valve + ":4: valves.DHVS: unknown valve 'DHVS': well W1 has DHSV, M1");
        historianLayout().requireNamesOf(well(), dir.resolve("mapping.yaml")); // known names pass
        Path zone = write("m3.yaml", "timestamp: { zone: Mars/Olympus }\n");
        assertThatThrownBy(() -> CsvLayout.load(zone)).hasMessageContaining(zone + ":1:")
                .hasMessageContaining("unknown time zone 'Mars/Olympus'");
    }

    /**
     * The shipped DHSV-closure file (its first hour) rewritten as another historian would export it (semicolons,
     * epoch milliseconds, tag names, an "Event" label column) replays sample for sample like the
     * original: the mapping changes how the file is read, nothing else.
     */
    @Test
    void aRelaidOutExportReplaysLikeTheOriginal() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("src/data/3w/2-WELL-00002_20131104014101.csv")).subList(0, 3601);
        List<String> header = List.of(lines.get(0).split(","));
        StringBuilder out = new StringBuilder("ms;" + String.join(";", header.subList(1, header.size() - 1).stream()
                .map(h -> "TAG_" + h).toList()) + ";Event\n");
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",", -1);
            out.append(Instant.parse(c[0].replace(' ', 'T') + "Z").toEpochMilli());
            for (int i = 1; i < c.length; i++) {
                out.append(';').append(c[i]);
            }
            out.append('\n');
        }
        Path relaid = write("export.csv", out.toString());
        WellConfig well = ConfigLoader.load(Path.of("src/test/resources/backtest/quick.yaml")).wells().get(0);
        StringBuilder mapping = new StringBuilder("timestamp: { column: ms, format: epoch-millis }\ndelimiter: \";\"\nlabel: Event\nsensors:\n");
        for (String s : well.sensorNames()) {
            mapping.append("  ").append(s).append(": TAG_").append(s).append('\n');
        }
        CsvLayout layout = CsvLayout.load(write("export.yaml", mapping.toString()));

        Path original = write("original.csv", String.join("\n", lines) + "\n");
        List<String> a = replay(well, CsvLayout.THREE_W, original);
        List<String> b = replay(well, layout, relaid);
        assertThat(a).as("every 3rd row, and the last one").hasSize(1201);
        assertThat(a.stream().filter(s -> s.contains("model 1")).count()).as("scored by a first model").isGreaterThan(150);
        assertThat(b).isEqualTo(a);
    }

    private List<String> replay(WellConfig well, CsvLayout layout, Path file) throws Exception {
        BacktestSuite.Outcome o = new BacktestSuite(well, layout, 1).run(List.of(file.toString()), BacktestProgress.NONE);
        List<String> steps = new ArrayList<>();
        for (Backtest.Step s : o.results().get(0).steps()) {
            var x = s.assessment();
            steps.add(s.row() + " " + s.time() + " " + s.label() + " " + x.dataState() + " " + x.riskLevel() + " "
                    + x.loss() + " model " + x.modelVersion() + " " + s.alarmLevel());
        }
        return steps;
    }

    @Test
    void theCliExplainsTheReplacedStrideOptionAndNamesTheBadLine() throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int stride;
        int bad;
        Path csv = write("bad.csv", "timestamp,P-PDG,class\n2024-05-01 07:00:00,1,0\n");
        try {
            Main main = new Main(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            stride = main.run(new String[]{"backtest", "--csv", "src/data/3w/2-WELL-00002_20131104014101.csv", "--stride", "3"});
            bad = main.run(new String[]{"backtest", "--config", "config/demo.yaml", "--csv", csv.toString()});
        } finally {
            System.setErr(err);
        }
        String messages = captured.toString(StandardCharsets.UTF_8);
        assertThat(stride).isEqualTo(2);
        assertThat(messages).contains("--stride is replaced by the sampling period of the well in --config",
                "--sampling-period 3s");
        assertThat(bad).isEqualTo(1);
        assertThat(messages).contains(csv + ":1: no column 'P-TPT' for sensor P-TPT");
    }
}
