package io.wellwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import io.wellwatch.config.AppConfig;
import io.wellwatch.config.ConfigLoader;
import io.wellwatch.config.HistoryConfig;
import io.wellwatch.config.ServerConfig;
import io.wellwatch.config.UserConfig;
import io.wellwatch.fault.LogCapture;
import io.wellwatch.history.HistoryStore;
import io.wellwatch.history.ValueRecord;
import io.wellwatch.security.Audit;
import io.wellwatch.security.PasswordHash;
import io.wellwatch.server.WellWatchServer;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wellwatch history} against a server on the production security settings (secured
 * endpoints only, no anonymous), over 127.0.0.1: what a historian engineer sees on the first
 * runs, that following the printed instructions makes the read work, and a wrong password.
 */
class SecuredHistoryReadTest {

    private static final String WELL = "WELL-00007";
    private static final Instant T0 = Instant.parse("2013-11-04T02:00:00Z");

    @TempDir
    Path tmp;

    @Test
    @Timeout(120)
    void aUserWithASecuredPolicyReadsHistoryOnceBothCertificatesAreTrusted() throws Exception {
        AppConfig production = ConfigLoader.load(Path.of("config/production.yaml"));
        Path serverPki = tmp.resolve("server-pki");
        var security = production.security().withPkiDir(serverPki.toString()).withUsers(List.of(new UserConfig(
                "historian", UserConfig.Role.VIEWER,
                PasswordHash.create("s3cret-pw".toCharArray(), PasswordHash.MIN_ITERATIONS).format())));
        try (HistoryStore store = new HistoryStore(HistoryConfig.at("jdbc:sqlite:" + tmp.resolve("h.db")), Clock.systemUTC());
             WellWatchServer server = new WellWatchServer(
                     new ServerConfig("127.0.0.1", freePort(), "/wellwatch", "127.0.0.1"), security, serverPki)) {
            for (int i = 0; i < 20; i++) {
                store.offer(new ValueRecord(WELL, "Loss", T0.plusSeconds(3L * i), 0.01 * i, StatusCodes.Good));
            }
            assertThat(store.flush(Duration.ofSeconds(20))).isTrue();
            server.addWell(WELL, 10);
            server.setHistory(store);
            server.start();
            String endpoint = server.endpointUrl();
            Path clientPki = tmp.resolve("client-pki");
            String[] secured = {"--endpoint", endpoint, "--well", WELL, "--variable", "Loss", "--max", "3",
                    "--security", "Basic256Sha256", "--user", "historian", "--pki", clientPki.toString()};

            assertThatThrownBy(() -> read("right", "--endpoint", endpoint, "--well", WELL, "--variable", "Loss"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no endpoint matching SecurityPolicy None, anonymous")
                    .hasMessageContaining("Basic256Sha256/SignAndEncrypt")
                    .hasMessageContaining("the server is secured: give --security POLICY (and --user NAME)");

            // First secured runs: each refusal says which certificate to move where; do as told.
            int refusals = 0;
            String output = null;
            LogCapture audit = new LogCapture(Audit.LOGGER_NAME);
            while (output == null) {
                try {
                    output = read("s3cret-pw", secured);
                } catch (IllegalStateException e) {
                    assertThat(++refusals).as("refusals before the read works: %s", e.getMessage()).isLessThanOrEqualTo(2);
                    String m = e.getMessage();
                    if (m.contains("this client does not trust the server's certificate")) {
                        assertThat(m).contains(clientPki.resolve("rejected").toString());
                        moveAll(clientPki.resolve("rejected"), clientPki.resolve("trusted").resolve("certs"));
                    } else {
                        assertThat(m).contains("the server refused this client's certificate")
                                .contains(clientPki.resolve("own").resolve("certs").resolve("wellwatch.der").toString());
                        moveAll(serverPki.resolve("rejected"), serverPki.resolve("trusted").resolve("certs"));
                    }
                }
            }
            audit.close();
            assertThat(refusals).as("the server must have refused the unknown client once").isGreaterThanOrEqualTo(1);
            // The server (in this JVM) audits its refusal of the client, in plain words; the client's own
            // refusal of the server certificate is the command's message, not a server audit event.
            assertThat(audit.lines()).noneMatch(l -> l.contains("kind=plc"));
            assertThat(audit.lines()).anySatisfy(l -> assertThat(l).contains("CERTIFICATE REFUSED kind=application")
                    .contains("CN=" + ClientLogin.COMMON_NAME)
                    .contains("reason=\"Bad_SecurityChecksFailed: not trusted (not in trusted/certs, nor issued by a CA there)\""));
            // Two files plant IT tells apart by subject before trusting one.
            assertThat(subject(clientPki)).contains("CN=WellWatch history client")
                    .isNotEqualTo(subject(serverPki));
            assertThat(subject(serverPki)).contains("CN=WellWatch");
            assertThat(output).contains("WELL-00007 Loss from " + endpoint + ": 3 value(s)")
                    .contains("2013-11-04T02:00:51Z       0.170000             Good")
                    .contains("2013-11-04T02:00:57Z       0.190000             Good");

            assertThatThrownBy(() -> read("wrong-pw", secured))
                    .hasMessageContaining("the server refused user 'historian' (wrong password, unknown user, or locked out");
            assertThat(read("s3cret-pw", secured)).contains("3 value(s)");
            assertThatThrownBy(() -> read("unused", "--endpoint", endpoint, "--well", WELL, "--events",
                    "--security", "Basic256Sha256", "--pki", clientPki.toString()))
                    .hasMessageContaining("the server does not accept anonymous sessions; give --user NAME");
        }
    }

    @Test
    void securityOptionsAreCheckedBeforeConnecting() {
        Instant now = Instant.now();
        List<String> base = List.of("--endpoint", "opc.tcp://127.0.0.1:1/x", "--well", "W", "--events");
        assertThatThrownBy(() -> parse(base, "--security", "Basic128Rsa15"))
                .hasMessageContaining("--security must be None or one of Basic256Sha256, Aes128_Sha256_RsaOaep, Aes256_Sha256_RsaPss, got 'Basic128Rsa15'");
        assertThatThrownBy(() -> parse(base, "--security", "Basic256Sha256", "--mode", "None"))
                .hasMessageContaining("--mode must be Sign or SignAndEncrypt, got 'None'");
        assertThatThrownBy(() -> parse(base, "--mode", "Sign"))
                .hasMessageContaining("--mode goes with a secured --security policy");
        assertThat(parse(base, "--security", "Aes256_Sha256_RsaPss", "--user", "u").login())
                .isEqualTo(new ClientLogin("Aes256_Sha256_RsaPss", "SignAndEncrypt", "u", ClientLogin.DEFAULT_PKI));
        assertThat(HistoryReadCommand.parse(base, now).login()).isEqualTo(ClientLogin.NONE);
    }

    private static HistoryReadCommand.Request parse(List<String> base, String... more) {
        return HistoryReadCommand.parse(Stream.concat(base.stream(), Stream.of(more)).toList(), Instant.now());
    }

    private static String read(String password, String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        var request = HistoryReadCommand.parse(List.of(args), Instant.now());
        int code = new HistoryReadCommand(new PrintStream(bytes, true, StandardCharsets.UTF_8), () -> password).run(request);
        assertThat(code).isZero();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String subject(Path pki) throws Exception {
        try (var in = Files.newInputStream(pki.resolve("own").resolve("certs").resolve("wellwatch.der"))) {
            return ((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in))
                    .getSubjectX500Principal().getName();
        }
    }

    private static void moveAll(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.move(f, to.resolve(f.getFileName()));
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
