package io.wellwatch.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wellwatch.cli.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The {@code backtest} command on the four shipped 3W files, driven through the CLI as a user runs
 * it, with the lighter training of {@code src/test/resources/backtest/quick.yaml} (5 epochs, a
 * retraining every 1000 samples; same sampling, window, tolerance, bands and debounce as the demo)
 * so it takes about a minute. Every figure of metrics.json is recomputed here, independently, from
 * the labels read straight from the CSV files and the per-sample alarm timeline the backtest wrote;
 * the report is opened in headless Chromium and the screenshot must show the plot.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BacktestReportTest {

    /** The DHSV closure first: its chart is the one the screenshot shows. */
    static final List<String> FILES = List.of(
            "src/data/3w/2-WELL-00002_20131104014101.csv",
            "src/data/3w/0-WELL-00001_20170201020207.csv",
            "src/data/3w/6-WELL-00002_20140212170333.csv",
            "src/data/3w-v2/3-WELL-00001_20170320120025.csv");
    static final double SAMPLING_SECONDS = 3.0; // samplingPeriodMs of quick.yaml

    static final List<String> FILE_FIELDS = List.of("file", "rows", "labelled", "firstNonNormalLabelTime", "firstAlarmTime",
            "detectionDelaySeconds", "alarmActivations", "alarmActivationsOnNormal", "normalHours", "precision", "recall",
            "f1", "learningSeconds");
    static final List<String> TOTAL_FIELDS = List.of("files", "faultFiles", "faultFilesDetected",
            "medianDetectionDelaySeconds", "falseAlarmsPer24h");

    Path dir;
    JsonNode metrics;
    String console;

    @BeforeAll
    void runBacktest() throws Exception {
        dir = Files.createTempDirectory("backtest-report-test");
        List<String> args = new ArrayList<>(List.of("backtest", "--config", "src/test/resources/backtest/quick.yaml"));
        for (String f : FILES) {
            args.add("--csv");
            args.add(f);
        }
        args.add("--report");
        args.add(dir.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = new Main(new PrintStream(out, true, StandardCharsets.UTF_8)).run(args.toArray(String[]::new));
        console = out.toString(StandardCharsets.UTF_8);
        System.err.println(console);
        assertThat(code).as("exit code; console:\n" + console).isZero();
        metrics = new ObjectMapper().readTree(dir.resolve("metrics.json").toFile());
    }

    @AfterAll
    void removeReport() throws Exception {
        deleteTree(dir);
    }

    /** One line of a timeline.csv, parsed here without the product's code. */
    record Sample(int row, Instant time, Integer label, String dataState, String alarmLevel, int modelVersion,
                  boolean judged) {
        boolean alarm() {
            return !alarmLevel.equals("NORMAL");
        }
    }

    /** Labels (null = empty) and times of a 3W CSV, read here without the product's code. */
    record Labels(Instant[] times, Integer[] labels) {
        static Labels read(String file) throws Exception {
            List<String> lines = Files.readAllLines(Path.of(file)).stream().filter(l -> !l.isBlank()).toList();
            List<String> header = Arrays.asList(lines.get(0).split(",", -1));
            int cls = header.indexOf("class");
            Instant[] times = new Instant[lines.size() - 1];
            Integer[] labels = new Integer[lines.size() - 1];
            for (int i = 1; i < lines.size(); i++) {
                String[] cells = lines.get(i).split(",", -1);
                times[i - 1] = Instant.parse(cells[0].replace(' ', 'T') + "Z");
                labels[i - 1] = cells[cls].isEmpty() ? null : (int) Double.parseDouble(cells[cls]);
            }
            return new Labels(times, labels);
        }
    }

    private List<Sample> timeline(JsonNode file) throws Exception {
        List<String> lines = Files.readAllLines(dir.resolve(file.get("timeline").asText()));
        assertThat(lines.get(0)).isEqualTo("row,time,label,dataState,riskLevel,alarmLevel,loss,tolerance,modelVersion,"
                + "topContributor,judged");
        List<Sample> samples = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",", -1);
            samples.add(new Sample(Integer.parseInt(c[0]), Instant.parse(c[1]), c[2].isEmpty() ? null : Integer.parseInt(c[2]),
                    c[3], c[5], Integer.parseInt(c[8]), Boolean.parseBoolean(c[10])));
        }
        return samples;
    }

    @Test
    void metricsJsonHasTheAgreedShape() {
        assertThat(metrics.get("files")).hasSize(FILES.size());
        for (int i = 0; i < FILES.size(); i++) {
            JsonNode f = metrics.get("files").get(i);
            for (String field : FILE_FIELDS) {
                assertThat(f.has(field)).as("files[%d].%s", i, field).isTrue();
            }
            assertThat(f.get("file").asText()).isEqualTo(FILES.get(i));
            assertThat(f.get("rows").isInt()).isTrue();
            assertThat(f.get("labelled").isBoolean()).isTrue();
            for (String ratio : List.of("precision", "recall", "f1")) {
                assertThat(f.get(ratio).asDouble()).as(ratio).isBetween(0.0, 1.0);
            }
            assertThat(f.get("learningSeconds").asDouble()).as("time spent learning").isPositive();
        }
        for (String field : TOTAL_FIELDS) {
            assertThat(metrics.get("totals").has(field)).as("totals.%s", field).isTrue();
        }
    }

    @Test
    void everyFigureMatchesAnIndependentRecountFromLabelsAndAlarmTimeline() throws Exception {
        int faultFiles = 0;
        List<Double> delays = new ArrayList<>();
        int onNormalTotal = 0;
        double normalHoursTotal = 0;
        for (int i = 0; i < FILES.size(); i++) {
            JsonNode f = metrics.get("files").get(i);
            Labels csv = Labels.read(FILES.get(i));
            List<Sample> samples = timeline(f);
            assertThat(f.get("rows").asInt()).isEqualTo(csv.times().length);
            // The sampling of the config: one sample every 3 s of data (these files have 1 s rows, no
            // gaps); the last one takes the last row, as a server's last tick takes the latest values.
            for (int k = 1; k < samples.size(); k++) {
                Duration step = Duration.between(samples.get(k - 1).time(), samples.get(k).time());
                if (k < samples.size() - 1) {
                    assertThat(step).isEqualTo(Duration.ofSeconds(3));
                } else {
                    assertThat(step).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(3));
                }
            }
            assertThat(samples.get(samples.size() - 1).row()).as("the last row is sampled").isEqualTo(csv.times().length);
            Instant firstNonNormal = null;
            boolean labelled = false;
            for (int r = 0; r < csv.labels().length; r++) {
                labelled |= csv.labels()[r] != null;
                if (firstNonNormal == null && csv.labels()[r] != null && csv.labels()[r] != 0) {
                    firstNonNormal = csv.times()[r];
                }
            }
            Instant firstAlarm = null;
            Instant detection = null;
            int activations = 0;
            int onNormal = 0;
            int normalScored = 0;
            int tp = 0;
            int fp = 0;
            int fn = 0;
            boolean before = false;
            String levelBefore = "NORMAL";
            int alarmEvents = 0;
            for (Sample s : samples) {
                if (!s.alarmLevel().equals(levelBefore)) {
                    alarmEvents++;
                    levelBefore = s.alarmLevel();
                }
                Integer label = csv.labels()[s.row() - 1];
                assertThat(s.time()).isEqualTo(csv.times()[s.row() - 1]);
                assertThat(s.label()).isEqualTo(label);
                if (s.alarm() && !before) {
                    activations++;
                    if (label != null && label == 0) {
                        onNormal++;
                    }
                }
                before = s.alarm();
                if (s.alarm() && firstAlarm == null) {
                    firstAlarm = s.time();
                }
                if (s.alarm() && detection == null && firstNonNormal != null && !s.time().isBefore(firstNonNormal)) {
                    detection = s.time();
                }
                if (label != null && label == 0 && s.judged()) {
                    normalScored++;
                }
                if (label != null) {
                    if (s.alarm() && label != 0) {
                        tp++;
                    } else if (s.alarm()) {
                        fp++;
                    } else if (label != 0) {
                        fn++;
                    }
                }
            }
            double precision = tp + fp == 0 ? 1 : tp / (double) (tp + fp);
            double recall = tp + fn == 0 ? 1 : tp / (double) (tp + fn);
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            String what = FILES.get(i) + ": ";
            assertThat(f.get("labelled").asBoolean()).as(what + "labelled").isEqualTo(labelled);
            assertThat(text(f, "firstNonNormalLabelTime")).as(what + "firstNonNormalLabelTime").isEqualTo(iso(firstNonNormal));
            assertThat(text(f, "firstAlarmTime")).as(what + "firstAlarmTime").isEqualTo(iso(firstAlarm));
            if (detection == null) {
                assertThat(f.get("detectionDelaySeconds").isNull()).as(what + "no detection").isTrue();
            } else {
                double delay = Duration.between(firstNonNormal, detection).toMillis() / 1000.0;
                assertThat(f.get("detectionDelaySeconds").asDouble()).as(what + "delay").isCloseTo(delay, within(1e-6));
                delays.add(delay);
            }
            assertThat(f.get("alarmActivations").asInt()).as(what + "activations").isEqualTo(activations);
            assertThat(f.get("alarmActivationsOnNormal").asInt()).as(what + "activations on normal").isEqualTo(onNormal);
            assertThat(f.get("alarmEvents").asInt()).as(what + "alarm level changes").isEqualTo(alarmEvents)
                    .isGreaterThanOrEqualTo(2 * activations - 1);
            double normalHours = normalScored * SAMPLING_SECONDS / 3600;
            assertThat(f.get("normalHours").asDouble()).as(what + "normal hours").isCloseTo(normalHours, within(1e-9));
            assertThat(f.get("precision").asDouble()).as(what + "precision").isCloseTo(precision, within(1e-9));
            assertThat(f.get("recall").asDouble()).as(what + "recall").isCloseTo(recall, within(1e-9));
            assertThat(f.get("f1").asDouble()).as(what + "F1").isCloseTo(f1, within(1e-9));
            faultFiles += firstNonNormal == null ? 0 : 1;
            onNormalTotal += onNormal;
            normalHoursTotal += normalHours;
        }
        JsonNode t = metrics.get("totals");
        assertThat(t.get("files").asInt()).isEqualTo(FILES.size());
        assertThat(t.get("faultFiles").asInt()).as("the type-2, type-6 and type-3 files").isEqualTo(faultFiles).isEqualTo(3);
        assertThat(t.get("faultFilesDetected").asInt()).isEqualTo(delays.size());
        if (delays.isEmpty()) {
            assertThat(t.get("medianDetectionDelaySeconds").isNull()).isTrue();
        } else {
            double[] d = delays.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double median = d.length % 2 == 1 ? d[d.length / 2] : (d[d.length / 2 - 1] + d[d.length / 2]) / 2;
            assertThat(t.get("medianDetectionDelaySeconds").asDouble()).isCloseTo(median, within(1e-6));
        }
        assertThat(t.get("falseAlarmsPer24h").asDouble())
                .isCloseTo(normalHoursTotal == 0 ? 0 : onNormalTotal / normalHoursTotal * 24, within(1e-9));
    }

    @Test
    void theLabelsOfTheShippedFilesAreReadAsTheDatasetDocumentsThem() {
        JsonNode dhsv = metrics.get("files").get(0);
        assertThat(dhsv.get("rows").asInt()).isEqualTo(9121);
        assertThat(dhsv.get("firstNonNormalLabelTime").asText()).as("row 3810, the transient label 102")
                .isEqualTo("2013-11-04T02:44:30Z");
        JsonNode normal = metrics.get("files").get(1);
        assertThat(normal.get("firstNonNormalLabelTime").isNull()).isTrue();
        assertThat(normal.get("detectionDelaySeconds").isNull()).isTrue();
        assertThat(normal.get("normalHours").asDouble()).as("most of the 5 h normal instance is scored").isGreaterThan(3.5);
        JsonNode slugging = metrics.get("files").get(3);
        assertThat(slugging.get("firstNonNormalLabelTime").asText()).as("3,600 unlabelled rows, then class 3")
                .isEqualTo("2017-03-20T13:00:25Z");
        assertThat(slugging.get("normalHours").asDouble()).as("no row labelled normal").isZero();
        assertThat(console).contains("total: 4 files").contains("report: ");
    }

    @Test
    void reportIsOneSelfContainedLightPageWithAPlotPerFile() throws Exception {
        Path report = dir.resolve("report.html");
        String html = Files.readString(report);
        assertThat(html.split("<svg ", -1)).as("one chart per file").hasSize(FILES.size() + 1);
        assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", ""))
                .as("nothing fetched: opens offline").doesNotContain("http://", "https://", "<script", "<link", "<img", "url(");
        for (String f : FILES) {
            assertThat(html).contains(f);
        }
        assertThat(html).contains("<table", "detection delay", "tolerance", "model retrained", "label fault", "time (UTC)");
        // 4 files, 66,000 rows in all: decimated to a few thousand points per series.
        assertThat(Files.size(report)).as("report size").isLessThan(900_000);
    }

    @Test
    void chromiumRendersThePlot() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        assertThat(Files.isExecutable(chromium)).as("Debian's chromium is needed (.ci/run installs it: apt-get install -y chromium)")
                .isTrue();
        Path profile = Files.createTempDirectory("chromium-profile");
        Path png = dir.resolve("report.png");
        Path log = dir.resolve("chromium.log");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--screenshot=" + png, "--window-size=1400,2000",
                dir.resolve("report.html").toUri().toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        } finally {
            p.destroyForcibly();
            deleteTree(profile);
        }
        assertThat(png).as("screenshot; chromium said:\n" + Files.readString(log)).exists();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1400);
        int nonWhite = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                nonWhite += (image.getRGB(x, y) & 0xFFFFFF) == 0xFFFFFF ? 0 : 1;
            }
        }
        assertThat(nonWhite).as("non-blank page").isGreaterThan(image.getWidth() * image.getHeight() / 20);
        // The series of the first file's chart, by their own colours.
        assertThat(pixels(image, SvgChart.LOSS_COLOUR)).as("loss line").isGreaterThan(500);
        assertThat(pixels(image, SvgChart.TOLERANCE_COLOUR)).as("tolerance line").isGreaterThan(500);
        assertThat(pixels(image, SvgChart.LABEL_TRANSIENT)).as("transient label period").isGreaterThan(5_000);
        assertThat(pixels(image, SvgChart.SENSOR_COLOURS[1])).as("P-TPT line").isGreaterThan(300);
        assertThat(pixels(image, SvgChart.SENSOR_COLOURS[3])).as("P-MON-CKP line").isGreaterThan(300);
        assertThat(pixels(image, SvgChart.RETRAIN_COLOUR)).as("retraining marks").isGreaterThan(50);
    }

    /** Pixels within a small distance of a colour (lines are anti-aliased). */
    private static int pixels(BufferedImage image, String hex) {
        int rgb = Integer.parseInt(hex.substring(1), 16);
        int r0 = rgb >> 16 & 0xFF;
        int g0 = rgb >> 8 & 0xFF;
        int b0 = rgb & 0xFF;
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int c = image.getRGB(x, y);
                int dr = (c >> 16 & 0xFF) - r0;
                int dg = (c >> 8 & 0xFF) - g0;
                int db = (c & 0xFF) - b0;
                n += dr * dr + dg * dg + db * db <= 30 * 30 ? 1 : 0;
            }
        }
        return n;
    }

    private static String text(JsonNode f, String field) {
        return f.get(field).isNull() ? null : f.get(field).asText();
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }

    private static void deleteTree(Path root) throws Exception {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
