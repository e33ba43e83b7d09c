package io.wellwatch.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    private static final String MINIMAL = """
            wells:
              - id: WELL-1
                endpoint: opc.tcp://127.0.0.1:4841/plc
                sensors:
                  - name: P-TPT
                    nodeId: "ns=2;s=P-TPT"
            """;

    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        Path f = dir.resolve("wellwatch.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void theShippedDemoConfigLoads() throws Exception {
        AppConfig c = ConfigLoader.load(Path.of("config/demo.yaml"));
        assertThat(c.wells()).extracting(WellConfig::id).containsExactly("WELL-00001", "WELL-00002");
        assertThat(c.simulator().speedUp()).isEqualTo(25.0);
        assertThat(c.wells().get(0).valveNames()).contains("DHSV", "M1", "W1", "XO");
    }

    @Test
    void everyOmittedSettingTakesItsDocumentedDefault() throws Exception {
        AppConfig c = ConfigLoader.load(write(MINIMAL));
        assertThat(c.server()).isEqualTo(ServerConfig.DEFAULT);
        assertThat(c.server().endpointUrl()).isEqualTo("opc.tcp://127.0.0.1:4840/wellwatch");
        WellConfig w = c.wells().get(0);
        assertThat(w.samplingPeriodMs()).isEqualTo(1000);
        assertThat(w.detector()).isEqualTo(DetectorConfig.DEFAULT);
        assertThat(w.detector().windowSize()).isEqualTo(500);
        assertThat(w.detector().retrainInterval()).isEqualTo(500);
        assertThat(w.sensors().get(0).min()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(c.history()).isEqualTo(HistoryConfig.DEFAULT);
        assertThat(c.history().jdbcUrl()).isEqualTo("jdbc:sqlite:state/history.db");
        assertThat(c.history().retentionDays()).isEqualTo(30);
        assertThat(c.upstream()).isEqualTo(UpstreamConfig.DEFAULT);
        assertThat(c.upstream().keepAliveIntervalMs()).isEqualTo(1000);
        assertThat(c.upstream().keepAliveTimeoutMs()).isEqualTo(1000);
        assertThat(c.upstream().keepAliveFailuresAllowed()).isEqualTo(2);
        assertThat(c.upstream().detectionBoundMs()).isEqualTo(4000);
    }

    @Test
    void upstreamKeepAliveSettingsAreReadAndChecked() throws Exception {
        AppConfig c = ConfigLoader.load(write(MINIMAL + """
                upstream:
                  keepAliveIntervalMs: 2000
                  keepAliveFailuresAllowed: 1
                """));
        assertThat(c.upstream()).isEqualTo(new UpstreamConfig(2000, 1000, 1));
        assertThat(c.upstream().detectionBoundMs()).isEqualTo(5000);

        Path f = write(MINIMAL + "upstream:\n  keepAliveIntervalMs: 50\n");
        assertThatThrownBy(() -> ConfigLoader.load(f))
                .hasMessage(f + ":8: upstream.keepAliveIntervalMs: must be 100..60000, got 50");
        Path g = write(MINIMAL + "upstream:\n  keepAliveIntervalMs: 1000\n  keepAliveTimeoutMs: 0\n");
        assertThatThrownBy(() -> ConfigLoader.load(g))
                .hasMessage(g + ":9: upstream.keepAliveTimeoutMs: must be 100..60000, got 0");
        Path h = write(MINIMAL + "upstream:\n  keepAliveFailuresAllowed: -1\n");
        assertThatThrownBy(() -> ConfigLoader.load(h))
                .hasMessage(h + ":8: upstream.keepAliveFailuresAllowed: must be 0..100, got -1");
        assertThatThrownBy(() -> ConfigLoader.load(write(MINIMAL + "upstream:\n  keepAliveMs: 1000\n")))
                .hasMessageContaining(":8:").hasMessageContaining("keepAliveMs");
    }

    @Test
    void historySettingsAreReadAndChecked() throws Exception {
        AppConfig c = ConfigLoader.load(write(MINIMAL + """
                history:
                  jdbcUrl: jdbc:postgresql://db/wellwatch
                  user: ww
                  retentionDays: 7
                  batchSize: 100
                """));
        assertThat(c.history().jdbcUrl()).isEqualTo("jdbc:postgresql://db/wellwatch");
        assertThat(c.history().user()).isEqualTo("ww");
        assertThat(c.history().retentionDays()).isEqualTo(7);
        assertThat(c.history().batchSize()).isEqualTo(100);
        assertThat(c.history().queueCapacity()).isEqualTo(10_000);

        Path f = write(MINIMAL + "history:\n  retentionDays: 0\n");
        assertThatThrownBy(() -> ConfigLoader.load(f))
                .hasMessage(f + ":8: history.retentionDays: must be >= 1, got 0");
        Path g = write(MINIMAL + "history:\n  jdbcUrl: state/history.db\n");
        assertThatThrownBy(() -> ConfigLoader.load(g))
                .hasMessageStartingWith(g + ":8: history.jdbcUrl: must be a JDBC URL");
        Path h = write(MINIMAL + "history:\n  queueCapacity: 10\n  batchSize: 20\n");
        assertThatThrownBy(() -> ConfigLoader.load(h))
                .hasMessage(h + ":9: history.batchSize: must be between 1 and queueCapacity (10), got 20");
    }

    @Test
    void unknownKeyIsNamedWithFileAndLine() throws Exception {
        Path f = write(MINIMAL.replace("    endpoint:", "    endpont: x\n    endpoint:"));
        assertThatThrownBy(() -> ConfigLoader.load(f))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(f + ":3: wells[0].endpont: unknown key 'endpont'");
    }

    @Test
    void missingFieldIsNamed() throws Exception {
        Path f = write(MINIMAL.replace("    endpoint: opc.tcp://127.0.0.1:4841/plc\n", ""));
        assertThatThrownBy(() -> ConfigLoader.load(f))
                .hasMessageStartingWith(f + ":2: wells[0].endpoint: missing required field 'endpoint'");
    }

    @Test
    void aMissingTopLevelSectionOrAListAsTheDocumentIsNamedAtLineOne() throws Exception {
        Path typo = write(MINIMAL.replace("wells:", "well:"));
        assertThatThrownBy(() -> ConfigLoader.load(typo))
                .hasMessageStartingWith(typo + ":1: wells: missing required field 'wells'");
        Path list = write("- a\n- b\n");
        assertThatThrownBy(() -> ConfigLoader.load(list))
                .hasMessage(list + ":1: " + DOCUMENT + "got a list");
    }

    private static final String DOCUMENT = "the file must be a mapping (key: value lines) with the sections "
            + "server, storage, wells, simulator, history, security, metrics, upstream; ";

    @Test
    void aWordAsTheWholeFileOrAsASectionSaysAMappingIsExpected() throws Exception {
        Path hello = write("hello\n");
        assertThatThrownBy(() -> ConfigLoader.load(hello)).isInstanceOf(ConfigException.class)
                .hasMessage(hello + ":1: " + DOCUMENT + "got the value 'hello'");
        Path server = write(MINIMAL + "server: hello\n");
        assertThatThrownBy(() -> ConfigLoader.load(server))
                .hasMessage(server + ":7: server: expected a mapping (key: value lines)");
    }

    @Test
    void garbageYamlIsAPlainSentenceWithItsLineNotAParserEvent() throws Exception {
        Path f = write("wells: [\n garbage::: {{{\n");
        assertThatThrownBy(() -> ConfigLoader.load(f)).isInstanceOf(ConfigException.class)
                .hasMessage(f + ":2: not valid YAML: expected a key (a plain name before ':'), found a mapping")
                .hasMessageNotContaining("Event").hasMessageNotContaining("org.yaml").hasMessageNotContaining("<");
    }

    /** A detector that could not train inside the JVM that serves OPC UA is refused at start. */
    @Test
    void detectorSizesHaveUpperBounds() throws Exception {
        String[][] cases = {
                {"lstmUnits: 4000", "lstmUnits: must be 1..256, got 4000 (the network's memory grows with its square)"},
                {"windowSize: 100000000", "windowSize: must be 2..20000, got 100000000 (every training holds and trains on the whole window)"},
                {"retrainInterval: 2000000", "retrainInterval: must be 1..1000000, got 2000000 (the model would practically never relearn; Retrain trains by hand)"},
                {"epochs: 5000", "epochs: must be 1..1000, got 5000 (training time grows with it)"},
                {"lookback: 5000", "lookback: must be 1..1000, got 5000 (training time and memory grow with it)"},
                {"lossWindow: 5000", "lossWindow: must be 1..1000, got 5000 (Loss would lag the process by as many samples)"},
                {"batchSize: 100000", "batchSize: must be 1..4096, got 100000 (a minibatch is held in memory at once)"},
        };
        for (String[] c : cases) {
            assertRefused(inWell("    detector: { " + c[0] + " }"), ":4: wells[0].detector." + c[1]);
        }
        // the example of the report: accepted before, then every training died with OutOfMemoryError
        Path oom = write(inWell("    detector: { lstmUnits: 4000, windowSize: 150, retrainInterval: 150, epochs: 2 }"));
        assertThatThrownBy(() -> ConfigLoader.load(oom)).hasMessageStartingWith(oom + ":4: wells[0].detector.lstmUnits: ");
        Path limits = write(inWell("    detector: { lstmUnits: 256, windowSize: 20000, retrainInterval: 1000000,"
                + " epochs: 1000, lookback: 1000, lossWindow: 1000, batchSize: 4096, minTrainingSamples: 20000 }"));
        assertThat(ConfigLoader.load(limits).wells().get(0).detector().lstmUnits()).isEqualTo(256);
    }

    @Test
    void millisecondSettingsAndTheHistoryQueueHaveUpperBounds() throws Exception {
        assertRefused(inWell("    samplingPeriodMs: 99999999999999"),
                ":4: wells[0].samplingPeriodMs: must be 1..3600000, got 99999999999999 (at most an hour between samples)");
        assertRefused(inWell("    staleAfterMs: 86400001"),
                ":4: wells[0].staleAfterMs: must be 0..86400000, got 86400001 (0 disables; at most a day)");
        assertRefused(inWell("    frozenAfterMs: 604800001"),
                ":4: wells[0].frozenAfterMs: must be 0..604800000, got 604800001 (0 disables; at most 7 days)");
        assertRefused(inWell("    maxFutureMs: 86400001"),
                ":4: wells[0].maxFutureMs: must be 1..86400000, got 86400001 (at most a day)");
        assertRefused(MINIMAL + "history:\n  queueCapacity: 2000000000\n",
                ":8: history.queueCapacity: must be 1..1000000, got 2000000000 (the queue is allocated at start)");
    }

    @Test
    void anEmptyNumericValueIsAnErrorNotASilentDefault() throws Exception {
        assertRefused(inWell("    samplingPeriodMs:"),
                ":4: wells[0].samplingPeriodMs: no value given; remove the key to use the default 1000");
        assertRefused(inWell("    detector:\n      lstmUnits:"),
                ":5: wells[0].detector.lstmUnits: no value given; remove the key to use the default 32");
        assertRefused(MINIMAL + "upstream:\n  keepAliveIntervalMs: ~\n",
                ":8: upstream.keepAliveIntervalMs: no value given; remove the key to use the default 1000");
        assertRefused(inWell("    detector: { learningRate: }"),
                ":4: wells[0].detector.learningRate: no value given; remove the key to use the default 0.001");
        assertRefused(MINIMAL + "simulator:\n  wells:\n    - { id: WELL-1, csv: x.csv, valves: { DHSV: } }\n",
                ":9: simulator.wells[0].valves.DHSV: no value given");
    }

    /** MINIMAL with {@code lines} added to its well, before 'sensors:' (line 4 on). */
    private static String inWell(String lines) {
        return MINIMAL.replace("    sensors:", lines + "\n    sensors:");
    }

    private void assertRefused(String yaml, String message) throws Exception {
        Path f = write(yaml);
        assertThatThrownBy(() -> ConfigLoader.load(f)).isInstanceOf(ConfigException.class).hasMessage(f + message);
    }

    @Test
    void theShippedAndTestConfigsStillLoad() throws Exception {
        for (String file : new String[] {"config/demo.yaml", "config/production.yaml", "src/test/resources/backtest/quick.yaml"}) {
            assertThat(ConfigLoader.load(Path.of(file)).wells()).as(file).isNotEmpty();
        }
    }

    @Test
    void badNodeIdIsNamed() throws Exception {
        Path f = write(MINIMAL.replace("\"ns=2;s=P-TPT\"", "\"P-TPT\""));
        assertThatThrownBy(() -> ConfigLoader.load(f))
                .hasMessageStartingWith(f + ":6: wells[0].sensors[0].nodeId: 'P-TPT' is not a valid NodeId");
    }

    @Test
    void anEndpointWithoutHostOrWithABadPortIsNamedAtStartNotAtConnect() throws Exception {
        for (String bad : new String[] {"opc.tcp://", "opc.tcp://:4841/plc", "opc.tcp://plc-a:notaport/x",
                "opc.tcp://plc-a:70000", "opc.tcp://plc-a:/plc", "opc.tcp://[::1/plc"}) {
            Path f = write(MINIMAL.replace("opc.tcp://127.0.0.1:4841/plc", bad));
            assertThatThrownBy(() -> ConfigLoader.load(f)).as(bad).isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith(f + ":3: wells[0].endpoint: ")
                    .hasMessageEndingWith(", got '" + bad + "'");
        }
        for (String good : new String[] {"opc.tcp://plc-a", "opc.tcp://plc-a:4840", "opc.tcp://10.0.0.5:4840/a/b",
                "opc.tcp://[::1]:4841/plc", "opc.tcp://plc_a.example:4840"}) {
            assertThat(ConfigLoader.load(write(MINIMAL.replace("opc.tcp://127.0.0.1:4841/plc", good)))
                    .wells().get(0).endpoint()).isEqualTo(good);
        }
    }

    @Test
    void anEmptyServerHostnameIsRefusedRatherThanAdvertisingOpcTcpColonPort() throws Exception {
        Path f = write("server:\n  hostname: \"\"\n" + MINIMAL);
        assertThatThrownBy(() -> ConfigLoader.load(f))
                .hasMessageStartingWith(f + ":2: server.hostname: must be the host name or address clients use");
    }

    @Test
    void duplicateWellIdNamesBothLines() throws Exception {
        String second = MINIMAL.substring(MINIMAL.indexOf("  - id"));
        Path f = write(MINIMAL + second);
        assertThatThrownBy(() -> ConfigLoader.load(f))
                .hasMessageStartingWith(f + ":7: wells[1].id: duplicate well id 'WELL-1' (first at line 2)");
    }

    @Test
    void wrongTypeAndBadRangesAreNamed() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(write(MINIMAL + "server:\n  port: lots\n")))
                .hasMessageContaining(":8: server.port:");
        assertThatThrownBy(() -> ConfigLoader.load(write(MINIMAL.replace("    sensors:",
                "    detector:\n      risk: { low: 2, medium: 1 }\n    sensors:"))))
                .hasMessageContaining("wells[0].detector.risk: bands must satisfy");
        assertThatThrownBy(() -> ConfigLoader.load(write(MINIMAL.replace("    sensors:",
                "    detector:\n      risk: { deadband: 0.8 }\n    sensors:"))))
                .hasMessageContaining("wells[0].detector.risk.deadband: must be 0..0.5");
        assertThatThrownBy(() -> ConfigLoader.load(write(MINIMAL.replace("    sensors:",
                "    detector:\n      clearSamples: 0\n    sensors:"))))
                .hasMessageContaining("wells[0].detector.clearSamples: must be >= 1, got 0");
        assertThatThrownBy(() -> ConfigLoader.load(write(MINIMAL.replace("    sensors:",
                "    detector:\n      trainer: pytorch\n    sensors:"))))
                .hasMessageContaining("wells[0].detector.trainer: must be 'java' or 'dl4j', got 'pytorch'");
    }

    @Test
    void trainerSwitchIsRead() throws Exception {
        AppConfig c = ConfigLoader.load(write(MINIMAL.replace("    sensors:",
                "    detector:\n      trainer: dl4j\n    sensors:")));
        assertThat(c.wells().get(0).detector().trainer()).isEqualTo("dl4j");
        assertThat(DetectorConfig.DEFAULT.trainer()).isEqualTo("java");
    }

    @Test
    void alarmDebounceSettingsAreRead() throws Exception {
        AppConfig c = ConfigLoader.load(write(MINIMAL.replace("    sensors:",
                "    detector:\n      raiseSamples: 2\n      clearSamples: 7\n    sensors:")));
        assertThat(c.wells().get(0).detector().raiseSamples()).isEqualTo(2);
        assertThat(c.wells().get(0).detector().clearSamples()).isEqualTo(7);
        assertThat(DetectorConfig.DEFAULT.raiseSamples()).isEqualTo(3);
        assertThat(DetectorConfig.DEFAULT.clearSamples()).isEqualTo(5);
    }

    @Test
    void unreachableFilesAreNamed() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yaml")))
                .hasMessage(dir.resolve("nope.yaml") + ": config file not found");
        Path f = write(MINIMAL + """
                simulator:
                  wells:
                    - id: WELL-1
                      csv: does/not/exist.csv
                """);
        assertThatThrownBy(() -> ConfigLoader.load(f))
                .hasMessageContaining(":10: simulator.wells[0].csv: cannot read file 'does/not/exist.csv'");
        // serve and backtest never open the simulator's files: a demo config copied elsewhere still serves.
        assertThat(ConfigLoader.loadWithoutSimulator(f).simulator().wells().get(0).csv()).isEqualTo("does/not/exist.csv");
    }

    @Test
    void numbersTheParserRefusesAreNamedWithTheirKey() throws Exception {
        Path huge = write(MINIMAL + "    samplingPeriodMs: 99999999999999999999\n");
        assertThatThrownBy(() -> ConfigLoader.load(huge))
                .hasMessage(huge + ":7: wells[0].samplingPeriodMs: the number is too large for this setting");
        Path nan = write(MINIMAL + "    detector:\n      toleranceFloor: .nan\n");
        assertThatThrownBy(() -> ConfigLoader.load(nan))
                .hasMessage(nan + ":8: wells[0].detector.toleranceFloor: not a usable number (NaN and infinities are not accepted)");
        Path flow = write(MINIMAL + "    detector:\n      risk: { low: 1.0, deadband: .inf }\n");
        assertThatThrownBy(() -> ConfigLoader.load(flow))
                .hasMessage(flow + ":8: wells[0].detector.risk.deadband: not a usable number (NaN and infinities are not accepted)");
    }

    @Test
    void brokenYamlIsReportedWithItsLine() throws Exception {
        Path f = write(MINIMAL + "  - id: [unclosed\n");
        assertThatThrownBy(() -> ConfigLoader.load(f)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(f + ":8: not valid YAML:");
        Path indented = write(MINIMAL.replace("    endpoint:", "       endpoint:"));
        assertThatThrownBy(() -> ConfigLoader.load(indented))
                .hasMessageStartingWith(indented + ":3: not valid YAML: mapping values are not allowed here");
        Path tab = write(MINIMAL.replace("    endpoint:", "\tendpoint:"));
        assertThatThrownBy(() -> ConfigLoader.load(tab)).hasMessageContaining(":3: not valid YAML:").hasMessageContaining("TAB");
    }

    @Test
    void emptyFileAndWrongTypesSayWhatWasExpected() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(write("# nothing but a comment\n")))
                .hasMessageEndingWith(":1: config file is empty (at least 'wells' is required)");
        Path f = write(MINIMAL.replace("    sensors:", "    samplingPeriodMs: fast\n    sensors:"));
        assertThatThrownBy(() -> ConfigLoader.load(f))
                .hasMessage(f + ":4: wells[0].samplingPeriodMs: expected a whole number, got 'fast'");
    }

    @Test
    void aFractionWhereAWholeNumberBelongsIsRefusedNotTruncated() throws Exception {
        Path f = write("server:\n  port: 4840.5\n" + MINIMAL);
        assertThatThrownBy(() -> ConfigLoader.load(f)).isInstanceOf(ConfigException.class)
                .hasMessage(f + ":2: server.port: expected a whole number, got '4840.5'");
    }

    @Test
    void aFileThatIsNotUtf8IsNamedWithTheLineOfTheFirstBadByte() throws Exception {
        Path f = dir.resolve("latin1.yaml");
        Files.write(f, (MINIMAL + "server:\n  path: /po\u00e7o\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> ConfigLoader.load(f)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(f + ":8: not UTF-8 text (byte ")
                .hasMessageEndingWith("); save it as UTF-8");
        Files.writeString(f, MINIMAL + "server:\n  path: /po\u00e7o\n");
        assertThat(ConfigLoader.load(f).server().path()).isEqualTo("/po\u00e7o");
    }

    @Test
    void duplicateKeyIsRefusedNotSilentlyOverwritten() throws Exception {
        Path f = write("server:\n  port: 4840\n  port: 4841\n" + MINIMAL);
        assertThatThrownBy(() -> ConfigLoader.load(f)).isInstanceOf(ConfigException.class)
                .hasMessage(f + ":3: duplicate key 'port' (a key may appear only once in a mapping)");
    }

    /** The README's reference block is what users paste: it must load, so it cannot drift from the loader. */
    @Test
    void theReadmeConfigurationReferenceLoads() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("\n## Configuration reference\n");
        assertThat(section).as("README section").isPositive();
        int start = readme.indexOf("```yaml\n", section) + "```yaml\n".length();
        int end = readme.indexOf("\n```", start);
        assertThat(readme.indexOf("\n## ", section + 1)).as("the block lies inside the section").isGreaterThan(end);
        String yaml = readme.substring(start, end + 1);
        // The plant's own certificate is the one thing a README cannot ship: stand in a readable file for it.
        Path keyStore = Files.createFile(dir.resolve("wellwatch.pfx"));
        assertThat(yaml).contains("keyStore: /etc/wellwatch/wellwatch.pfx");
        AppConfig c = ConfigLoader.parse(yaml.replace("/etc/wellwatch/wellwatch.pfx", keyStore.toString()),
                "README.md", dir);
        assertThat(c.security().users()).extracting(UserConfig::name).containsExactly("shift-lead");
        assertThat(c.security().lockout().maxSeconds()).isEqualTo(300);
        assertThat(c.wells().get(0).detector()).isEqualTo(DetectorConfig.DEFAULT);
    }
}
