package io.wellwatch.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wellwatch.core.Forecaster;
import io.wellwatch.core.MinMaxScaler;
import io.wellwatch.core.ModelInfo;
import io.wellwatch.core.StoredModel;
import io.wellwatch.core.TrainingSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model store on real files with real (tiny) DL4J networks. */
class FileModelStoreTest {

    static final String WELL = "WELL-00001";
    static final String KEY = "DHSV=1;M1=1;W1=1;XO=0";
    static final Dl4jForecasterFactory FACTORY = new Dl4jForecasterFactory();
    static final TrainingSettings TINY = new TrainingSettings(8, 8, 1, 32, 1e-2, 3);

    static Forecaster first;
    static Forecaster second;
    static double[][] probe;

    @TempDir
    Path root;
    FileModelStore store;

    @BeforeAll
    static void trainTwoNetworks() {
        first = FACTORY.train(SyntheticWell.rows(0, 60, 1), TINY).forecaster();
        second = FACTORY.train(SyntheticWell.rows(0, 60, 2), new TrainingSettings(8, 8, 1, 32, 1e-2, 4)).forecaster();
        probe = SyntheticWell.rows(100, 50, 9);
    }

    @AfterAll
    static void close() {
        first.close();
        second.close();
    }

    @BeforeEach
    void openStore() {
        store = new FileModelStore(root, FACTORY);
    }

    @Test
    void savesVersionsAndLoadsTheNewest() throws IOException {
        StoredModel v1 = model(WELL, KEY, 1, first, 0.05);
        StoredModel v2 = model(WELL, KEY, 2, second, 0.07);
        store.save(v1);
        store.save(v2);

        assertThat(store.latestVersion(WELL, KEY)).isEqualTo(2);
        Map<String, StoredModel> loaded = store.loadLatest(WELL);
        assertThat(loaded).containsOnlyKeys(KEY);
        StoredModel got = loaded.get(KEY);
        assertThat(got.info()).isEqualTo(v2.info());
        assertThat(got.info().tolerance()).isEqualTo(0.07);
        assertThat(got.scaler()).isEqualTo(v2.scaler());
        assertThat(predict(got.forecaster())).isDeepEqualTo(predict(second));
        got.forecaster().close();

        // the layout is the documented one
        Path dir = store.valveStateDirectory(WELL, KEY);
        assertThat(dir.getParent()).isEqualTo(root.resolve(WELL));
        assertThat(dir.getFileName().toString()).startsWith("DHSV-1_M1-1_W1-1_XO-0~");
        assertThat(dir.resolve("v000001/weights.zip")).isRegularFile();
        assertThat(dir.resolve("v000002/model.json")).isRegularFile();
        String json = Files.readString(dir.resolve("v000002/model.json"));
        assertThat(json).contains("\"format\" : 1", "\"valveState\" : \"" + KEY + "\"",
                "\"trainedAt\" : \"2024-05-01T10:00:02Z\"", "\"min\"", "\"range\"", "\"tolerance\" : 0.07");
    }

    @Test
    void versionsNeverRepeat() throws IOException {
        store.save(model(WELL, KEY, 1, first, 0.05));
        assertThatThrownBy(() -> store.save(model(WELL, KEY, 1, second, 0.05)))
                .isInstanceOf(FileAlreadyExistsException.class);
        store.save(model(WELL, KEY, 2, second, 0.05));
        // an unloadable newest version still counts
        Files.delete(store.versionDirectory(WELL, KEY, 2).resolve("model.json"));
        assertThat(store.latestVersion(WELL, KEY)).isEqualTo(2);
        assertThatThrownBy(() -> store.save(model(WELL, KEY, 2, second, 0.05)))
                .isInstanceOf(FileAlreadyExistsException.class);
        store.save(model(WELL, KEY, 3, second, 0.05));
        assertThat(store.latestVersion(WELL, KEY)).isEqualTo(3);
        assertThat(store.latestVersion(WELL, "other")).isZero();
        assertThat(store.latestVersion("no-such-well", KEY)).isZero();
    }

    @Test
    void truncatedWeightsFallBackToThePreviousVersion() throws IOException {
        saveTwo();
        Path weights = store.versionDirectory(WELL, KEY, 2).resolve("weights.zip");
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, Arrays.copyOf(bytes, bytes.length / 3));
        assertLoadsVersion1();
    }

    @Test
    void skippedVersionsAndCleanupsAreLoggedWithPathAndReason() throws IOException {
        saveTwo();
        Path v2 = store.versionDirectory(WELL, KEY, 2);
        Files.write(v2.resolve("weights.zip"), new byte[] {1, 2, 3});
        Path tmp = store.valveStateDirectory(WELL, KEY).resolve(".tmp-v000003-999");
        Files.createDirectories(tmp);
        List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        var appender = new org.apache.logging.log4j.core.appender.AbstractAppender("capture", null, null, true,
                org.apache.logging.log4j.core.config.Property.EMPTY_ARRAY) {
            @Override
            public void append(org.apache.logging.log4j.core.LogEvent event) {
                logged.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
            }
        };
        appender.start();
        var logger = (org.apache.logging.log4j.core.Logger) org.apache.logging.log4j.LogManager.getLogger(FileModelStore.class);
        logger.addAppender(appender);
        try {
            assertLoadsVersion1Or2(1);
        } finally {
            logger.removeAppender(appender);
            appender.stop();
        }
        assertThat(logged).anySatisfy(m -> assertThat(m).startsWith("WARN").contains(v2.toString(), "checksum"));
        assertThat(logged).anySatisfy(m -> assertThat(m).startsWith("INFO").contains(tmp.toString()));
    }

    @Test
    void weightsThatPassTheChecksumButDoNotLoadFallBack() throws IOException {
        saveTwo();
        Path dir = store.versionDirectory(WELL, KEY, 2);
        Path weights = dir.resolve("weights.zip");
        byte[] garbage = "not a zip at all".getBytes(StandardCharsets.UTF_8);
        Files.write(weights, garbage);
        // make model.json agree with the garbage, so that DL4J itself has to reject it
        String json = Files.readString(dir.resolve("model.json"));
        String sha = java.util.HexFormat.of().formatHex(
                sha256(garbage));
        Files.writeString(dir.resolve("model.json"),
                json.replaceAll("\"weightsSha256\" : \"[0-9a-f]+\"", "\"weightsSha256\" : \"" + sha + "\""));
        assertLoadsVersion1();
    }

    @Test
    void missingWeightsFallBack() throws IOException {
        saveTwo();
        Files.delete(store.versionDirectory(WELL, KEY, 2).resolve("weights.zip"));
        assertLoadsVersion1();
    }

    @Test
    void missingMetadataFallsBack() throws IOException {
        saveTwo();
        Files.delete(store.versionDirectory(WELL, KEY, 2).resolve("model.json"));
        assertLoadsVersion1();
    }

    @Test
    void unparseableMetadataFallsBack() throws IOException {
        saveTwo();
        Path json = store.versionDirectory(WELL, KEY, 2).resolve("model.json");
        Files.writeString(json, Files.readString(json).substring(0, 100));
        assertLoadsVersion1();
    }

    @Test
    void unknownFormatFallsBack() throws IOException {
        saveTwo();
        Path json = store.versionDirectory(WELL, KEY, 2).resolve("model.json");
        Files.writeString(json, Files.readString(json).replace("\"format\" : 1", "\"format\" : 2"));
        assertLoadsVersion1();
        assertThat(store.listVersions(WELL)).filteredOn(e -> e.version() == 2)
                .singleElement().satisfies(e -> assertThat(e.problem()).contains("format"));
    }

    @Test
    void emptyVersionDirectoryFallsBack() throws IOException {
        saveTwo();
        Files.createDirectory(store.versionDirectory(WELL, KEY, 3));
        assertLoadsVersion1Or2(2);
        assertThat(store.latestVersion(WELL, KEY)).isEqualTo(3);
    }

    @Test
    void leftoverTempDirectoryIsIgnoredAndCleanedUp() throws IOException {
        store.save(model(WELL, KEY, 1, first, 0.05));
        // what a crash half-way through saving v2 leaves behind
        Path tmp = store.valveStateDirectory(WELL, KEY).resolve(".tmp-v000002-12345");
        Files.createDirectories(tmp);
        Files.write(tmp.resolve("weights.zip"), new byte[] {1, 2, 3});

        assertThat(store.latestVersion(WELL, KEY)).isEqualTo(1);
        Map<String, StoredModel> loaded = store.loadLatest(WELL);
        assertThat(loaded.get(KEY).info().version()).isEqualTo(1);
        loaded.get(KEY).forecaster().close();
        assertThat(tmp).doesNotExist();
        // and the next save goes on normally
        store.save(model(WELL, KEY, 2, second, 0.05));
        assertLoadsVersion1Or2(2);
    }

    @Test
    void failedSaveLeavesNothingBehind() throws IOException {
        store.save(model(WELL, KEY, 1, first, 0.05));
        Forecaster foreign = new Forecaster() {
            @Override
            public int features() {
                return 3;
            }

            @Override
            public void reset() {
            }

            @Override
            public void step(double[] scaledRow, double[] predictedNext) {
            }
        };
        assertThatThrownBy(() -> store.save(model(WELL, KEY, 2, foreign, 0.05)))
                .isInstanceOf(IllegalArgumentException.class);
        try (Stream<Path> files = Files.list(store.valveStateDirectory(WELL, KEY))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("v000001");
        }
        assertThat(store.latestVersion(WELL, KEY)).isEqualTo(1);
    }

    @Test
    void oddKeysAndWellIdsRoundTrip() throws IOException {
        List<String> keys = List.of(
                KEY,
                "DHSV-1_M1-1_W1-1_XO-0", // sanitises to the same text as KEY: the hash keeps them apart
                "",
                "..",
                "a/b\\c:d*e?f\"g<h>i|j",
                "ÄÖÜ=1;日本=0;emoji=\uD83D\uDE00",
                "x".repeat(300),
                " leading and trailing ");
        String well = "well 7/ÄB";
        for (String key : keys) {
            store.save(model(well, key, 1, first, 0.01));
        }
        Map<String, StoredModel> loaded = store.loadLatest(well);
        assertThat(loaded.keySet()).containsExactlyInAnyOrderElementsOf(keys);
        for (String key : keys) {
            StoredModel m = loaded.get(key);
            assertThat(m.info().valveState()).isEqualTo(key);
            assertThat(m.info().wellId()).isEqualTo(well);
            assertThat(store.latestVersion(well, key)).isEqualTo(1);
            m.forecaster().close();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            assertThat(dirs).singleElement().satisfies(p -> assertThat(p.getFileName().toString())
                    .doesNotContain("/", " ").contains("~"));
        }
        try (Stream<Path> dirs = Files.list(store.valveStateDirectory(well, KEY).getParent())) {
            assertThat(dirs).hasSize(keys.size()).allSatisfy(p -> {
                String name = p.getFileName().toString();
                assertThat(name).matches("[A-Za-z0-9_][A-Za-z0-9._-]*~[0-9a-f]{12}");
                assertThat(name.length()).isLessThan(100);
            });
        }
    }

    @Test
    void severalValveStatesEachGiveTheirNewest() throws IOException {
        store.save(model(WELL, KEY, 1, first, 0.01));
        store.save(model(WELL, KEY, 2, second, 0.02));
        store.save(model(WELL, "DHSV=0;M1=1;W1=1;XO=0", 1, second, 0.03));
        store.save(model("WELL-00002", KEY, 5, first, 0.04));
        Map<String, StoredModel> loaded = store.loadLatest(WELL);
        assertThat(loaded).containsOnlyKeys(KEY, "DHSV=0;M1=1;W1=1;XO=0");
        assertThat(loaded.get(KEY).info().version()).isEqualTo(2);
        assertThat(loaded.get("DHSV=0;M1=1;W1=1;XO=0").info().tolerance()).isEqualTo(0.03);
        loaded.values().forEach(m -> m.forecaster().close());
        assertThat(store.loadLatest("WELL-00002").get(KEY).info().version()).isEqualTo(5);
        assertThat(store.loadLatest("unknown")).isEmpty();
    }

    @Test
    void aVersionCopiedIntoTheWrongDirectoryIsSkipped() throws IOException {
        store.save(model(WELL, KEY, 1, first, 0.01));
        store.save(model(WELL, "other", 1, second, 0.02));
        Path stray = store.versionDirectory(WELL, KEY, 2);
        copyDir(store.versionDirectory(WELL, "other", 1), stray);
        Map<String, StoredModel> loaded = store.loadLatest(WELL);
        assertThat(loaded.get(KEY).info().version()).isEqualTo(1);
        assertThat(loaded.get("other").info().version()).isEqualTo(1);
        loaded.values().forEach(m -> m.forecaster().close());
        // the stray copy still takes its version number, and does not block saving
        assertThat(store.latestVersion(WELL, KEY)).isEqualTo(2);
        store.save(model(WELL, KEY, 3, second, 0.01));
        StoredModel v3 = store.loadLatest(WELL).get(KEY);
        assertThat(v3.info().version()).isEqualTo(3);
        v3.forecaster().close();
    }

    @Test
    void listsVersionsWithTheirProblems() throws IOException {
        saveTwo();
        store.save(model(WELL, KEY, 3, second, 0.05));
        Files.delete(store.versionDirectory(WELL, KEY, 2).resolve("model.json"));
        Path w3 = store.versionDirectory(WELL, KEY, 3).resolve("weights.zip");
        Files.write(w3, new byte[] {0});
        List<FileModelStore.VersionEntry> list = store.listVersions(WELL);
        assertThat(list).extracting(FileModelStore.VersionEntry::version).containsExactly(1, 2, 3);
        assertThat(list.get(0).problem()).isNull();
        assertThat(list.get(0).info().version()).isEqualTo(1);
        assertThat(list.get(0).valveState()).isEqualTo(KEY);
        assertThat(list.get(1).info()).isNull();
        assertThat(list.get(1).problem()).contains("model.json");
        assertThat(list.get(2).info()).isNotNull();
        assertThat(list.get(2).problem()).contains("checksum");
    }

    @Test
    void loadsASpecificVersion() throws IOException {
        saveTwo();
        StoredModel v1 = store.load(WELL, KEY, 1);
        assertThat(v1.info().version()).isEqualTo(1);
        assertThat(predict(v1.forecaster())).isDeepEqualTo(predict(first));
        v1.forecaster().close();
        assertThatThrownBy(() -> store.load(WELL, KEY, 9)).isInstanceOf(IOException.class);
    }

    // ---------------------------------------------------------------- helpers

    private void saveTwo() throws IOException {
        store.save(model(WELL, KEY, 1, first, 0.05));
        store.save(model(WELL, KEY, 2, second, 0.07));
    }

    private void assertLoadsVersion1() {
        assertLoadsVersion1Or2(1);
        assertThat(store.latestVersion(WELL, KEY)).isEqualTo(2);
    }

    private void assertLoadsVersion1Or2(int expected) {
        Map<String, StoredModel> loaded = store.loadLatest(WELL);
        assertThat(loaded).containsOnlyKeys(KEY);
        StoredModel m = loaded.get(KEY);
        assertThat(m.info().version()).isEqualTo(expected);
        assertThat(predict(m.forecaster())).isDeepEqualTo(predict(expected == 1 ? first : second));
        m.forecaster().close();
    }

    static StoredModel model(String well, String key, int version, Forecaster f, double tolerance) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("lookback", 8);
        settings.put("learningRate", 0.01);
        settings.put("dl4j", "1.0.0-M2.1");
        settings.put("nested", Map.of("a", List.of(1, 2)));
        ModelInfo info = new ModelInfo(well, key, version, Instant.parse("2024-05-01T10:00:00Z").plusSeconds(version),
                500, 0.0123, tolerance, Instant.parse("2024-05-01T09:00:00Z"), Instant.parse("2024-05-01T09:59:59.5Z"),
                List.of("P-TPT", "T-TPT", "QGL"), settings);
        MinMaxScaler scaler = new MinMaxScaler(new double[] {1e7, 80.5 + version, 0}, new double[] {1e5, 1.0, 0.01});
        return new StoredModel(info, scaler, f);
    }

    static double[][] predict(Forecaster f) {
        return Dl4jLstmForecasterTest.predictions(f, probe);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path p : files.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
    }
}
