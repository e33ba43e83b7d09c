package io.wellwatch.bench;

import io.wellwatch.config.AppConfig;
import io.wellwatch.config.ConfigException;
import io.wellwatch.config.ConfigLoader;
import io.wellwatch.config.WellConfig;
import io.wellwatch.core.DetectorListener;
import io.wellwatch.core.Assessment;
import io.wellwatch.core.ModelInfo;
import io.wellwatch.core.RawSample;
import io.wellwatch.core.StoredModel;
import io.wellwatch.core.TagReading;
import io.wellwatch.core.WellDetector;
import io.wellwatch.model.Dl4jForecasterFactory;
import io.wellwatch.model.FileModelStore;
import io.wellwatch.sim.PlcSimulator;
import io.wellwatch.sim.ThreeWCsv;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Many wells for the benchmarks: a WellWatch config of N wells with the demo's tags, the rows of the
 * shipped normal 3W instance as samples, and a model per well so that every well scores from its
 * first sample (trained once with a real {@link WellDetector}, then saved under every well's id).
 */
final class BenchWells {

    /** The shipped normal instance (class 0, 5 h at 1 Hz). */
    static final Path NORMAL_CSV = Path.of("src/data/3w/0-WELL-00001_20170201020207.csv");

    /** Sensor name, min, max, span: the demo's settings. */
    private static final String[][] SENSORS = {
            {"P-PDG", "-1000000", "100000000", "100000"},
            {"P-TPT", "-1000000", "100000000", "100000"},
            {"T-TPT", "-50", "250", "1"},
            {"P-MON-CKP", "-1000000", "100000000", "100000"},
            {"T-JUS-CKP", "-50", "250", "1"},
            {"P-JUS-CKGL", "-1000000", "100000000", "100000"},
            {"QGL", "0", "100", "0.01"},
    };
    /** Valve states of the normal instance, as in the demo config. */
    static final Map<String, Integer> VALVES = valves();

    private BenchWells() {
    }

    private static Map<String, Integer> valves() {
        Map<String, Integer> v = new LinkedHashMap<>();
        for (String open : List.of("DHSV", "M1", "SDV-P", "W1")) {
            v.put(open, 1);
        }
        for (String closed : List.of("M2", "PXO", "SDV-GL", "W2", "XO")) {
            v.put(closed, 0);
        }
        return v;
    }

    static String wellId(int i) {
        return String.format(Locale.ROOT, "WELL-B%04d", i);
    }

    /**
     * The YAML of {@code n} wells on one PLC endpoint, default detector settings except
     * {@code retrainInterval} (null: the default).
     */
    static String yaml(int n, String plcEndpoint, int serverPort, Path modelDir, Path historyDb,
                       long samplingPeriodMs, Integer retrainInterval) {
        StringBuilder y = new StringBuilder();
        y.append("server:\n  bindAddress: 127.0.0.1\n  port: ").append(serverPort).append("\n  path: /wellwatch\n");
        // One measuring session subscribes to every well's RiskLevel: above the default 1000 items per session.
        y.append("  limits:\n    maxMonitoredItemsPerSession: ").append(Math.max(1000, 2 * n)).append('\n');
        y.append("storage:\n  modelDir: ").append(modelDir.toAbsolutePath()).append('\n');
        // The measuring clients connect like the demo's (None, anonymous); the PKI stays beside the models.
        y.append("security:\n  pkiDir: ").append(modelDir.toAbsolutePath().resolveSibling("pki"))
                .append("\n  allowSecurityPolicyNone: true\n  allowAnonymous: true\n");
        if (historyDb == null) {
            y.append("history:\n  enabled: false\n");
        } else {
            y.append("history:\n  jdbcUrl: jdbc:sqlite:").append(historyDb.toAbsolutePath()).append('\n');
        }
        y.append("wells:\n");
        for (int i = 1; i <= n; i++) {
            String id = wellId(i);
            y.append("  - id: ").append(id).append('\n');
            y.append("    endpoint: ").append(plcEndpoint).append('\n');
            y.append("    samplingPeriodMs: ").append(samplingPeriodMs).append('\n');
            y.append("    sensors:\n");
            for (String[] s : SENSORS) {
                y.append("      - { name: ").append(s[0]).append(", nodeId: \"").append(PlcSimulator.tagNodeId(id, s[0]))
                        .append("\", min: ").append(s[1]).append(", max: ").append(s[2]).append(", span: ").append(s[3])
                        .append(" }\n");
            }
            y.append("    valves:\n");
            for (String v : VALVES.keySet()) {
                y.append("      - { name: ").append(v).append(", nodeId: \"")
                        .append(PlcSimulator.tagNodeId(id, PlcSimulator.valveTag(v))).append("\" }\n");
            }
            if (retrainInterval != null) {
                y.append("    detector: { retrainInterval: ").append(retrainInterval).append(" }\n");
            }
        }
        return y.toString();
    }

    static AppConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, "bench-generated.yaml", Path.of(""));
    }

    /** Row {@code index} (0-based) of {@code csv} as the upstream adapter would assemble it for {@code well}. */
    static RawSample sample(ThreeWCsv csv, int index, WellConfig well) {
        var time = csv.timestamp(index);
        TagReading[] sensors = new TagReading[well.sensors().size()];
        for (int i = 0; i < sensors.length; i++) {
            sensors[i] = TagReading.good(csv.value(index, well.sensors().get(i).name()), time);
        }
        TagReading[] valves = new TagReading[well.valves().size()];
        for (int i = 0; i < valves.length; i++) {
            valves[i] = TagReading.good(VALVES.get(well.valves().get(i).name()), time);
        }
        return new RawSample(well.id(), time, sensors, valves);
    }

    /** The first {@code rows} rows of {@code csv} as samples for {@code well}. */
    static RawSample[] samples(ThreeWCsv csv, int rows, WellConfig well) {
        RawSample[] out = new RawSample[Math.min(rows, csv.rowCount())];
        for (int i = 0; i < out.length; i++) {
            out[i] = sample(csv, i, well);
        }
        return out;
    }

    /**
     * Gives every well of {@code wells} that has none a model in {@code modelDir}: one real training
     * (a {@link WellDetector} fed the first rows of the normal instance until its first model is in
     * service), saved once per well id. Returns the training time in ms (0 when all wells had one).
     */
    static long seedModels(List<WellConfig> wells, Path modelDir, ThreeWCsv csv) throws IOException {
        Dl4jForecasterFactory factory = new Dl4jForecasterFactory();
        FileModelStore store = new FileModelStore(modelDir, factory);
        WellConfig first = wells.get(0);
        long trainMs = 0;
        // Kept under target/ between runs: the training is the slow part and its result is the same
        // (fixed seed); mvn clean removes it.
        Path seedDir = Path.of("target", "bench-seed-model");
        FileModelStore seedStore = new FileModelStore(seedDir, factory);
        var stored = seedStore.loadLatest(first.id());
        if (stored.isEmpty()) {
            long t0 = System.nanoTime();
            // Runnable::run: the training runs inside onSample, so the model is in service when it returns.
            WellDetector d = new WellDetector(first, factory, seedStore, Runnable::run, new DetectorListener() {
                @Override
                public void onAssessment(Assessment a) {
                }
            }, Clock.systemUTC());
            for (int i = 0; i < csv.rowCount() && seedStore.loadLatest(first.id()).isEmpty(); i++) {
                d.onSample(sample(csv, i, first));
            }
            d.close();
            trainMs = (System.nanoTime() - t0) / 1_000_000;
            stored = seedStore.loadLatest(first.id());
        }
        var entry = stored.entrySet().iterator().next();
        String key = entry.getKey();
        StoredModel seed = entry.getValue();
        for (WellConfig w : wells) {
            if (store.latestVersion(w.id(), key) > 0) {
                continue;
            }
            ModelInfo i = seed.info();
            store.save(new StoredModel(new ModelInfo(w.id(), i.valveState(), 1, i.trainedAt(), i.sampleCount(),
                    i.trainingLoss(), i.tolerance(), i.dataFrom(), i.dataTo(), i.sensors(), i.settings()),
                    seed.scaler(), seed.forecaster()));
        }
        seed.forecaster().close();
        return trainMs;
    }

    /** Deletes a benchmark's scratch directory (bounded disk use: configs, models, history, JFR files). */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A copy of the first {@code rows} data rows of {@code csv}: the simulator keeps every replayed file in memory. */
    static Path firstRows(Path csv, int rows, Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        try (var in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String l;
            while (lines.size() <= rows && (l = in.readLine()) != null) {
                lines.add(l);
            }
        }
        Path out = dir.resolve(csv.getFileName());
        Files.write(out, lines, StandardCharsets.UTF_8);
        return out;
    }
}
