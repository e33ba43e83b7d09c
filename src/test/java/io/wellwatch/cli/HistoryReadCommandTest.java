package io.wellwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import io.wellwatch.config.HistoryConfig;
import io.wellwatch.config.ServerConfig;
import io.wellwatch.history.EventRecord;
import io.wellwatch.history.HistoryStore;
import io.wellwatch.history.ValueRecord;
import io.wellwatch.server.WellWatchServer;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wellwatch history} against a real server over 127.0.0.1 with a real SQLite history. */
class HistoryReadCommandTest {

    private static final String WELL = "WELL-00002";
    private static final Instant T0 = Instant.parse("2013-11-04T02:00:00Z");

    @TempDir
    Path tmp;

    private HistoryStore store;
    private WellWatchServer server;

    @BeforeEach
    void start() throws Exception {
        store = new HistoryStore(HistoryConfig.at("jdbc:sqlite:" + tmp.resolve("history.db")), Clock.systemUTC());
        for (int i = 0; i < 120; i++) {
            store.offer(new ValueRecord(WELL, "Loss", T0.plusSeconds(3L * i), 0.001 * i,
                    i == 7 ? StatusCodes.Uncertain_LastUsableValue : StatusCodes.Good));
        }
        store.offer(new ValueRecord(WELL, "RiskLevel", T0, 0.0, StatusCodes.Good));
        store.offer(new ValueRecord(WELL, "RiskLevel", T0.plusSeconds(60), 3.0, StatusCodes.Good));
        store.offer(new EventRecord(WELL, T0.plusSeconds(30), EventRecord.MODEL_RETRAINED, 100, "m", 1, "DHSV=1",
                0.02, 0.01, 500));
        store.offer(new EventRecord(WELL, T0.plusSeconds(61), EventRecord.ANOMALY_ALARM, 500,
                "WELL-00002: anomaly risk Low", null, null, null, null, null));
        store.offer(new EventRecord(WELL, T0.plusSeconds(70), EventRecord.ANOMALY_ALARM, 900,
                "WELL-00002: anomaly risk High", null, null, null, null, null));
        assertThat(store.flush(Duration.ofSeconds(20))).isTrue();
        server = new WellWatchServer(new ServerConfig("127.0.0.1", freePort(), "/wellwatch", "127.0.0.1"), tmp.resolve("pki"));
        server.addWell(WELL, 10);
        server.setHistory(store);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
    }

    private record Run(int code, List<String> lines) {
    }

    private Run history(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String[] all = new String[args.length + 1];
        all[0] = "history";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = new Main(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run(all);
        return new Run(code, Arrays.asList(bytes.toString(StandardCharsets.UTF_8).split("\n")));
    }

    @Test
    void printsRawValuesNewestOrFromAStartTime() {
        Run newest = history("--endpoint", server.endpointUrl(), "--well", WELL, "--variable", "Loss", "--max", "5");
        assertThat(newest.code()).isZero();
        assertThat(newest.lines().get(0)).startsWith("WELL-00002 Loss from " + server.endpointUrl() + ": 5 value(s)");
        assertThat(newest.lines().get(1)).startsWith("SourceTimestamp (UTC)").contains("Value").contains("Status");
        assertThat(newest.lines().subList(2, 7)).containsExactly(
                "2013-11-04T02:05:45Z       0.115000             Good",
                "2013-11-04T02:05:48Z       0.116000             Good",
                "2013-11-04T02:05:51Z       0.117000             Good",
                "2013-11-04T02:05:54Z       0.118000             Good",
                "2013-11-04T02:05:57Z       0.119000             Good");
        assertThat(newest.lines().get(7)).contains("older values exist");

        Run from = history("--endpoint", server.endpointUrl(), "--well", WELL, "--variable", "loss",
                "--from", "2013-11-04T02:00:15", "--to", "2013-11-04T02:00:27Z");
        assertThat(from.code()).isZero();
        assertThat(from.lines().subList(2, from.lines().size())).containsExactly(
                "2013-11-04T02:00:15Z       0.005000             Good",
                "2013-11-04T02:00:18Z       0.006000             Good",
                "2013-11-04T02:00:21Z       0.007000             Uncertain_LastUsableValue",
                "2013-11-04T02:00:24Z       0.008000             Good");

        Run risk = history("--endpoint", server.endpointUrl(), "--well", WELL, "--variable", "RiskLevel");
        assertThat(risk.lines().subList(2, risk.lines().size())).containsExactly(
                "2013-11-04T02:00:00Z       0 Normal             Good",
                "2013-11-04T02:01:00Z       3 High               Good");
    }

    @Test
    void printsTheEventsOfTheWellAndFiltersBySeverity() {
        Run all = history("--endpoint", server.endpointUrl(), "--well", WELL, "--events");
        assertThat(all.code()).isZero();
        assertThat(all.lines().get(0)).startsWith("WELL-00002 events from " + server.endpointUrl() + ": 3 event(s)");
        assertThat(all.lines().subList(2, 5)).containsExactly(
                "2013-11-04T02:00:30Z       ModelRetrained       100  WELL-00002: model v1 trained for valve state DHSV=1 on 500 samples (tolerance 0.0200000, training loss 0.0100000)",
                "2013-11-04T02:01:01Z       AnomalyAlarm         500  WELL-00002: anomaly risk Low",
                "2013-11-04T02:01:10Z       AnomalyAlarm         900  WELL-00002: anomaly risk High");

        Run severe = history("--endpoint", server.endpointUrl(), "--well", WELL, "--events", "--min-severity", "700");
        assertThat(severe.lines().get(0)).contains("1 event(s), Severity >= 700");
        assertThat(severe.lines().subList(2, severe.lines().size())).containsExactly(
                "2013-11-04T02:01:10Z       AnomalyAlarm         900  WELL-00002: anomaly risk High");
    }

    @Test
    void badRequestsGetAClearMessageAndAnExitCode() {
        assertThat(history("--endpoint", server.endpointUrl(), "--well", WELL).code()).isEqualTo(2);
        assertThat(history("--endpoint", server.endpointUrl(), "--well", WELL, "--variable", "ModelVersion").code())
                .isEqualTo(2);
        assertThat(history("--endpoint", server.endpointUrl(), "--well", WELL, "--variable", "Loss",
                "--from", "yesterday").code()).isEqualTo(2);
        assertThat(history("--endpoint", server.endpointUrl(), "--well", "NO-SUCH-WELL", "--variable", "Loss").code())
                .isEqualTo(1);
        assertThat(history("--endpoint", "opc.tcp://127.0.0.1:1/wellwatch", "--well", WELL, "--events").code())
                .isEqualTo(1);
        assertThat(history("--help").lines()).anyMatch(l -> l.contains("--min-severity"));
    }

    @Test
    void mistakesAreNamedInTheUsersTerms() throws Exception {
        String endpoint = server.endpointUrl();
        assertThatThrownBy(() -> parse("--endpoint", endpoint, "--well", WELL, "--variable", "Loss", "--events"))
                .hasMessage("--variable and --events exclude each other: give one of them");
        assertThatThrownBy(() -> parse("--endpoint", endpoint, "--well", WELL))
                .hasMessage("history needs either --variable NAME or --events");
        assertThatThrownBy(() -> parse("--endpoint", endpoint, "--well", WELL, "--variable", "Loss", "--bogus"))
                .as("an unknown option last is unknown, not short of a value")
                .hasMessage("unknown option '--bogus' for history");
        assertThatThrownBy(() -> parse("--endpoint", endpoint, "--well", WELL, "--variable"))
                .hasMessage("option --variable needs a value");
        assertThatThrownBy(() -> parse("--endpoint", "http://127.0.0.1:4840/wellwatch", "--well", WELL, "--events"))
                .hasMessageStartingWith("--endpoint must be an OPC UA endpoint URL such as opc.tcp://");
        assertThatThrownBy(() -> parse("--endpoint", endpoint, "--well", WELL, "--events", "--from", "2999-01-01T00:00:00Z"))
                .hasMessageStartingWith("--from must be before --to (default now, ");

        assertThatThrownBy(() -> run("--endpoint", endpoint, "--well", "NOPE", "--variable", "Loss"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no well 'NOPE' on " + endpoint + "; its wells: [" + WELL + "]");

        String nothingThere = "opc.tcp://127.0.0.1:" + freePort() + "/wellwatch";
        assertThatThrownBy(() -> run("--endpoint", nothingThere, "--well", WELL, "--events"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot connect to " + nothingThere + ": connection refused (is WellWatch running there?)");
    }

    private static HistoryReadCommand.Request parse(String... args) {
        return HistoryReadCommand.parse(List.of(args), Instant.now());
    }

    private static int run(String... args) throws Exception {
        return new HistoryReadCommand(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                () -> "unused").run(parse(args));
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
