package io.wellwatch.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.wellwatch.config.SecurityConfig;
import io.wellwatch.config.SimWellConfig;
import io.wellwatch.config.SimulatorConfig;
import io.wellwatch.config.UpstreamSecurityConfig;
import io.wellwatch.config.UserConfig;
import io.wellwatch.config.WellConfig;
import io.wellwatch.core.Quality;
import io.wellwatch.security.ApplicationPki;
import io.wellwatch.security.EndpointSecurity;
import io.wellwatch.security.PasswordHash;
import io.wellwatch.server.WellWatchServer;
import io.wellwatch.sim.PlcSimulator;
import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WellWatch's PLC client against the simulator PLC run as a secured PLC (Basic256Sha256,
 * SignAndEncrypt, a PLC user account, no None endpoint, no anonymous): the PLC's unknown
 * certificate is refused into rejected/ until plant IT trusts it, then samples flow without a restart.
 */
class SecuredUpstreamTest {

    private static final String PLC_USER = "wellwatch";
    private static final String PLC_PASSWORD = "plc-account-secret";

    @Test
    void theClientUsesTheConfiguredPolicyModeCertificateAndUserAndTrustsThePlcOnlyOnceAdmitted(@TempDir Path tmp)
            throws Exception {
        SecurityConfig plcSecurity = SecurityConfig.DEFAULT.withPkiDir(tmp.resolve("plc-pki").toString())
                .withUsers(List.of(new UserConfig(PLC_USER, UserConfig.Role.VIEWER,
                        PasswordHash.create(PLC_PASSWORD.toCharArray(), PasswordHash.MIN_ITERATIONS).format())));
        plcSecurity = SecurityConfig.of(plcSecurity.pkiDir(), false, false, null, List.of("Basic256Sha256"),
                List.of("SignAndEncrypt"), null, plcSecurity.users(), null, null);
        SimulatorConfig simConfig = SimulatorConfig.of("127.0.0.1", 0, "/plc", 20.0,
                List.of(SimWellConfig.of("W1", UpstreamManagerTest.NORMAL_FILE, true, null, null)));

        UpstreamSecurityConfig upstream = UpstreamSecurityConfig.of("Basic256Sha256", "SignAndEncrypt", PLC_USER, PLC_PASSWORD);
        try (PlcSimulator plc = new PlcSimulator(simConfig, Path.of(""), plcSecurity);
             ApplicationPki wellwatch = new ApplicationPki(tmp.resolve("pki"), WellWatchServer.APPLICATION_URI,
                     EndpointSecurity.certificateHostnames("127.0.0.1", "127.0.0.1"), null)) {
            wellwatch.open();
            plc.start();
            // The PLC's administrator has trusted WellWatch's certificate (own/certs/wellwatch.der).
            Files.copy(wellwatch.ownCertificateFile(), plc.pki().trustedCertsDir().resolve("wellwatch.der"));

            List<EndpointDescription> offered = DiscoveryClient.getEndpoints(plc.endpointUrl()).get(10, TimeUnit.SECONDS);
            assertThat(offered).extracting(EndpointDescription::getSecurityPolicyUri)
                    .containsOnly(SecurityPolicy.Basic256Sha256.getUri());
            assertThat(offered).extracting(EndpointDescription::getSecurityMode)
                    .containsOnly(MessageSecurityMode.SignAndEncrypt);

            WellConfig well = WellConfig.of("W1", plc.endpointUrl(), 200L, null, List.of(
                    UpstreamManagerTest.sensor("P-TPT", PlcSimulator.tagNodeId("W1", "P-TPT"))), List.of(), null);
            RecordingSink sink = new RecordingSink();
            UpstreamSecurity security = UpstreamSecurity.of(upstream, wellwatch, WellWatchServer.APPLICATION_URI);
            assertThat(security.describe()).isEqualTo("SecurityPolicy Basic256Sha256, SignAndEncrypt, user wellwatch");
            try (UpstreamManager manager = new UpstreamManager(List.of(well), sink, security)) {
                manager.start();
                sink.awaitConnection(0, "W1", false, UpstreamManagerTest.WAIT_MS);

                // WellWatch refused the PLC's unknown certificate and kept it for review.
                byte[] plcCertificate = plc.pki().certificate().orElseThrow().getEncoded();
                Path rejected = awaitFile(wellwatch.rejectedDir(), plcCertificate);
                Files.move(rejected, wellwatch.trustedCertsDir().resolve(rejected.getFileName()));

                int connectedAt = sink.awaitConnection(0, "W1", true, 60_000);
                int sampleAt = sink.awaitSample(connectedAt, "W1", UpstreamManagerTest.WAIT_MS);
                assertThat(sink.events().get(sampleAt).sample().sensors()[0].quality()).isEqualTo(Quality.GOOD);
            }
        }
    }

    /** Waits (bounded) until a file with these bytes is in {@code dir}. */
    private static Path awaitFile(Path dir, byte[] content) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    if (java.util.Arrays.equals(Files.readAllBytes(f), content)) {
                        return f;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no rejected certificate in " + dir);
    }
}
