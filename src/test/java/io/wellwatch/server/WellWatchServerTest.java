package io.wellwatch.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lifecycle, endpoint and PKI of {@link WellWatchServer}. */
class WellWatchServerTest {

    @TempDir
    Path pkiDir;

    @Test
    void startsAndStopsRepeatedlyOnTheSamePortReusingItsCertificate() throws Exception {
        int port = UaTestSupport.freePort();
        byte[] certificate = null;

        for (int run = 0; run < 3; run++) {
            try (WellWatchServer server = new WellWatchServer(UaTestSupport.loopbackConfig(port), pkiDir)) {
                server.addWell("WELL-00001", 500);
                server.start();
                assertThat(server.isRunning()).isTrue();

                OpcUaClient client = UaTestSupport.connect(server.endpointUrl());
                try {
                    DataValue state = client.readValue(0, TimestampsToReturn.Neither, NodeIds.Server_ServerStatus_State);
                    assertThat(state.value().value()).isEqualTo(0); // Running
                    if (run == 0) {
                        checkEndpointAndIdentity(client, port);
                    }
                } finally {
                    client.disconnect();
                }
            }

            byte[] current = Files.readAllBytes(pkiDir.resolve("own/certs/wellwatch.der"));
            if (certificate == null) {
                certificate = current;
            } else {
                assertThat(current).as("certificate created once, then reused").isEqualTo(certificate);
            }
        }
    }

    private static void checkEndpointAndIdentity(OpcUaClient client, int port) throws Exception {
        EndpointDescription endpoint = client.getConfig().getEndpoint();
        assertThat(endpoint.getEndpointUrl()).isEqualTo("opc.tcp://127.0.0.1:" + port + "/wellwatch");
        assertThat(endpoint.getSecurityPolicyUri()).isEqualTo(SecurityPolicy.None.getUri());
        assertThat(endpoint.getSecurityMode()).isEqualTo(MessageSecurityMode.None);
        assertThat(endpoint.getUserIdentityTokens())
                .extracting(token -> token.getTokenType())
                .containsExactly(UserTokenType.Anonymous);
        assertThat(endpoint.getServer().getApplicationUri()).isEqualTo(WellWatchServer.APPLICATION_URI);
        assertThat(endpoint.getServer().getProductUri()).isEqualTo(WellWatchServer.PRODUCT_URI);

        DataValue productUri = client.readValue(0, TimestampsToReturn.Neither,
                NodeIds.Server_ServerStatus_BuildInfo_ProductUri);
        assertThat(productUri.value().value()).isEqualTo(WellWatchServer.PRODUCT_URI);
    }

    @Test
    void firstStartCreatesThePkiLayoutAndASelfSignedCertificateForTheApplicationUri() throws Exception {
        assertThat(pkiDir.resolve("own/private/wellwatch.pfx")).doesNotExist();
        try (WellWatchServer server = new WellWatchServer(
                UaTestSupport.loopbackConfig(UaTestSupport.freePort()), pkiDir)) {
            server.start();
        }

        assertThat(pkiDir.resolve("own/private/wellwatch.pfx")).isRegularFile();
        assertThat(Files.getPosixFilePermissions(pkiDir.resolve("own/private/wellwatch.pfx")))
                .as("private key readable by its owner only")
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(pkiDir.resolve("user/trusted/certs")).isDirectory();
        assertThat(pkiDir.resolve("user/issuers/certs")).isDirectory();
        assertThat(pkiDir.resolve("trusted/certs")).isDirectory();
        assertThat(pkiDir.resolve("trusted/crl")).isDirectory();
        assertThat(pkiDir.resolve("issuers/certs")).isDirectory();
        assertThat(pkiDir.resolve("issuers/crl")).isDirectory();
        assertThat(pkiDir.resolve("rejected")).isDirectory();

        byte[] der = Files.readAllBytes(pkiDir.resolve("own/certs/wellwatch.der"));
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
        assertThat(CertificateUtil.getSanUri(certificate)).contains(WellWatchServer.APPLICATION_URI);
        assertThat(CertificateUtil.getSanIpAddresses(certificate)).contains("127.0.0.1");
        assertThat(CertificateUtil.getSanDnsNames(certificate)).contains("localhost");
        assertThat(certificate.getSubjectX500Principal()).isEqualTo(certificate.getIssuerX500Principal());
        assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(((RSAPublicKey) certificate.getPublicKey()).getModulus().bitLength()).isGreaterThanOrEqualTo(2048);
    }

    @Test
    void aStoppedServerCannotBeRestartedAndStopIsIdempotent() throws Exception {
        WellWatchServer server = new WellWatchServer(UaTestSupport.loopbackConfig(UaTestSupport.freePort()), pkiDir);
        server.start();
        server.start(); // no-op while running
        server.stop();
        server.stop();
        server.close();

        assertThat(server.isRunning()).isFalse();
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aTakenPortFailsTheStartCleanly() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            WellWatchServer server = new WellWatchServer(
                    UaTestSupport.loopbackConfig(taken.getLocalPort()), pkiDir);

            assertThatThrownBy(server::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(String.valueOf(taken.getLocalPort()));
            assertThat(server.isRunning()).isFalse();
        }
    }

    @Test
    void aPkiDirThatIsAFileIsNamedAsTheSettingWithTheReason() throws Exception {
        Path file = Files.writeString(pkiDir.resolve("certs"), "a file where the PKI directory should be");

        assertThatThrownBy(() -> new WellWatchServer(UaTestSupport.loopbackConfig(UaTestSupport.freePort()), file))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("security.pkiDir " + file + " (")
                .hasMessageContaining("cannot create the PKI directories: " + file)
                .satisfies(e -> assertThat(e.getMessage()).containsIgnoringCase("not a directory"));
    }
}
