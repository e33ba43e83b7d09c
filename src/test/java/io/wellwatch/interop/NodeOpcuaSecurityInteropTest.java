package io.wellwatch.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.wellwatch.config.SecurityConfig;
import io.wellwatch.config.ServerConfig;
import io.wellwatch.config.UserConfig;
import io.wellwatch.security.PasswordHash;
import io.wellwatch.server.WellWatchServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security as a client we did not write sees it: node-opcua against the production security
 * settings. Its certificate is refused and lands in rejected/; moved to trusted/certs it is
 * admitted without a restart on all six SecurityPolicy/mode endpoints with a user name and
 * password; the viewer's Retrain answers BadUserAccessDenied; anonymous finds no token policy.
 */
class NodeOpcuaSecurityInteropTest {

    private static final Path NODE_PROJECT = Path.of("src/test/node/interop");
    private static final String WELL = "WELL-00001";

    @Test
    void nodeOpcuaIsRefusedUntilTrustedThenLogsInOnEverySecuredEndpointWithTheViewerRole(@TempDir Path tmp) throws Exception {
        Path node = NodeOpcuaInteropTest.requireTool("node");
        NodeOpcuaInteropTest.installNodePackages();
        SecurityConfig security = SecurityConfig.DEFAULT.withPkiDir(tmp.resolve("pki").toString()).withUsers(List.of(
                new UserConfig("vera", UserConfig.Role.VIEWER,
                        PasswordHash.create("viewer-pass-77".toCharArray(), PasswordHash.MIN_ITERATIONS).format())));
        try (WellWatchServer server = new WellWatchServer(
                new ServerConfig("127.0.0.1", freePort(), "/wellwatch", "127.0.0.1"), security, tmp.resolve("pki"))) {
            server.addWell(WELL, 500);
            server.start();
            List<String> command = List.of(node.toString(), "security.mjs", server.endpointUrl(),
                    tmp.resolve("node-pki").toString(), "vera", "viewer-pass-77", WELL);

            List<String> untrusted = run(command);
            assertThat(untrusted).filteredOn(l -> l.startsWith("REFUSED")).hasSize(6);
            Path rejected;
            try (Stream<Path> files = Files.list(server.pki().rejectedDir())) {
                rejected = files.findFirst().orElseThrow(() -> new AssertionError("node-opcua's certificate not in rejected/"));
            }
            Files.move(rejected, server.pki().trustedCertsDir().resolve(rejected.getFileName()));
            Thread.sleep(1000); // the trust list's directory watch picks the file up

            List<String> trusted = run(command);
            assertThat(trusted).filteredOn(l -> l.startsWith("OK")).containsExactlyInAnyOrder(
                    "OK Basic256Sha256/Sign: WindowSize 500 (Good); Retrain as vera: BadUserAccessDenied",
                    "OK Basic256Sha256/SignAndEncrypt: WindowSize 500 (Good); Retrain as vera: BadUserAccessDenied",
                    "OK Aes128_Sha256_RsaOaep/Sign: WindowSize 500 (Good); Retrain as vera: BadUserAccessDenied",
                    "OK Aes128_Sha256_RsaOaep/SignAndEncrypt: WindowSize 500 (Good); Retrain as vera: BadUserAccessDenied",
                    "OK Aes256_Sha256_RsaPss/Sign: WindowSize 500 (Good); Retrain as vera: BadUserAccessDenied",
                    "OK Aes256_Sha256_RsaPss/SignAndEncrypt: WindowSize 500 (Good); Retrain as vera: BadUserAccessDenied");
            assertThat(trusted).anySatisfy(l -> assertThat(l).startsWith("ANONYMOUS refused"));
            assertThat(server.isRunning()).isTrue();
        }
    }

    /** Runs the script (bounded) and returns its result lines. */
    private static List<String> run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).directory(NODE_PROJECT.toFile()).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("OK ") || line.startsWith("REFUSED ") || line.startsWith("ANONYMOUS ")) {
                        synchronized (lines) {
                            lines.add(line);
                        }
                    }
                }
            } catch (java.io.IOException ignored) {
                // process ended
            }
        }, "node-opcua-security-out");
        reader.start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("node security.mjs did not finish within 180 s; lines so far " + lines);
        }
        reader.join(5000);
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
