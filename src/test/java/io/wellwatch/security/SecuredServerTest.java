package io.wellwatch.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.wellwatch.config.AppConfig;
import io.wellwatch.config.ConfigLoader;
import io.wellwatch.config.DetectorConfig;
import io.wellwatch.config.DetectorSettings;
import io.wellwatch.config.SecurityConfig;
import io.wellwatch.config.SensorConfig;
import io.wellwatch.config.ServerConfig;
import io.wellwatch.config.UserConfig;
import io.wellwatch.config.WellConfig;
import io.wellwatch.core.WellDetector;
import io.wellwatch.model.Dl4jForecasterFactory;
import io.wellwatch.model.FileModelStore;
import io.wellwatch.server.WellWatchModel;
import io.wellwatch.server.WellWatchServer;
import io.wellwatch.security.TestClients.Credentials;
import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.sdk.client.identity.X509IdentityProvider;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server with the security settings of {@code config/production.yaml}, plus three users, as
 * real Milo clients over 127.0.0.1 see it: who gets in, with which role, and what is audited.
 */
class SecuredServerTest {

    private static final String WELL = "WELL-SEC";
    private static final String CLIENT_URI = "urn:wellwatch:test:hmi";
    private static final String VIEWER = "vera";
    private static final String OPERATOR = "otto";
    private static final String CERT_USER = "carol";
    private static final String VIEWER_PASSWORD = "viewer-secret-1";
    private static final String OPERATOR_PASSWORD = "operator-secret-2";
    // The config's minimum: keeps the many logins of this test quick; the format is the real one.
    private static final int ITERATIONS = PasswordHash.MIN_ITERATIONS;

    @TempDir
    static Path tmp;

    private static WellWatchServer server;
    private static ExecutorService training;
    private static Credentials hmi;
    private static Credentials carol;
    private static X509Certificate serverCertificate;
    private static int ns;

    @BeforeAll
    static void startProductionServer() throws Exception {
        AppConfig production = ConfigLoader.load(Path.of("config/production.yaml"));
        SecurityConfig security = withUsers(production.security(), tmp.resolve("pki"));
        // The production file binds all interfaces; tests stay on the loopback interface.
        ServerConfig endpoint = new ServerConfig("127.0.0.1", freePort(), production.server().path(), "127.0.0.1");

        hmi = Credentials.application(CLIENT_URI);
        carol = Credentials.user(CERT_USER);
        server = new WellWatchServer(endpoint, security, tmp.resolve("pki"));
        hmi.trustIn(server.pki().trustedCertsDir());
        carol.trustIn(server.pki().userTrustedCertsDir());
        serverCertificate = server.pki().certificate().orElseThrow();

        // A real detector behind Retrain: with no samples it refuses (Bad_InvalidState), which
        // proves that an operator's call got past the role check and reached it.
        DetectorConfig detector = DetectorSettings.of("{windowSize: 60, retrainInterval: 100000,"
                + " minTrainingSamples: 40, lookback: 5, lstmUnits: 8, epochs: 2, batchSize: 16, learningRate: 0.01,"
                + " lossWindow: 5, seed: 7}");
        WellConfig well = WellConfig.of(WELL, "opc.tcp://127.0.0.1:1/plc", 1000L, 0L,
                List.of(new SensorConfig("P", "ns=2;s=P", -1e6, 1e6, 1.0)), List.of(), detector);
        training = Executors.newSingleThreadExecutor();
        Dl4jForecasterFactory factory = new Dl4jForecasterFactory();
        WellDetector wellDetector = new WellDetector(well, factory, new FileModelStore(tmp.resolve("models"), factory),
                training, server.listener(), Clock.systemUTC());
        server.addWell(WELL, detector);
        server.setRetrainRequester(id -> wellDetector.requestRetrain());
        server.start();
        OpcUaClient probe = connectAs(new UsernameProvider(VIEWER, VIEWER_PASSWORD));
        ns = probe.readNamespaceTable().getIndex(WellWatchModel.NAMESPACE_URI).intValue();
        probe.disconnect();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (training != null) {
            training.shutdownNow();
        }
    }

    static SecurityConfig withUsers(SecurityConfig security, Path pkiDir) {
        return security.withPkiDir(pkiDir.toString()).withUsers(List.of(
                new UserConfig(VIEWER, UserConfig.Role.VIEWER, hash(VIEWER_PASSWORD)),
                new UserConfig(OPERATOR, UserConfig.Role.OPERATOR, hash(OPERATOR_PASSWORD)),
                new UserConfig(CERT_USER, UserConfig.Role.OPERATOR, null)));
    }

    static String hash(String password) {
        return PasswordHash.create(password.toCharArray(), ITERATIONS).format();
    }

    @Test
    void productionEndpointsAreSecuredOnlyAndRefuseAnonymousAndSecurityPolicyNone() throws Exception {
        List<EndpointDescription> endpoints = DiscoveryClient.getEndpoints(server.endpointUrl()).get(10, TimeUnit.SECONDS);

        assertThat(endpoints).extracting(e -> SecurityPolicy.fromUri(e.getSecurityPolicyUri()) + "/" + e.getSecurityMode())
                .containsExactlyInAnyOrder(
                        "Basic256Sha256/Sign", "Basic256Sha256/SignAndEncrypt",
                        "Aes128_Sha256_RsaOaep/Sign", "Aes128_Sha256_RsaOaep/SignAndEncrypt",
                        "Aes256_Sha256_RsaPss/Sign", "Aes256_Sha256_RsaPss/SignAndEncrypt");
        for (EndpointDescription e : endpoints) {
            assertThat(Stream.of(e.getUserIdentityTokens()).map(UserTokenPolicy::getTokenType))
                    .as("token types of %s", e.getSecurityPolicyUri())
                    .containsExactlyInAnyOrder(UserTokenType.UserName, UserTokenType.Certificate);
        }

        // A client that insists on SecurityPolicy None: its session is refused on the channel.
        EndpointDescription secured = endpoints.get(0);
        EndpointDescription none = new EndpointDescription(secured.getEndpointUrl(), secured.getServer(), ByteString.NULL_VALUE,
                MessageSecurityMode.None, SecurityPolicy.None.getUri(),
                new UserTokenPolicy[]{new UserTokenPolicy("anonymous", UserTokenType.Anonymous, null, null, null)},
                secured.getTransportProfileUri(), secured.getSecurityLevel());
        OpcUaClient unsecured = OpcUaClient.create(org.eclipse.milo.opcua.sdk.client.OpcUaClientConfig.builder()
                .setEndpoint(none).setIdentityProvider(AnonymousProvider.INSTANCE).build());
        assertThatThrownBy(unsecured::connect).isInstanceOf(UaException.class);
        disconnectQuietly(unsecured);

        // Anonymous on a secured channel: refused (by Milo already: the endpoint has no anonymous token policy).
        {
            EndpointDescription withAnonymous = new EndpointDescription(secured.getEndpointUrl(), secured.getServer(),
                    secured.getServerCertificate(), MessageSecurityMode.SignAndEncrypt, SecurityPolicy.Basic256Sha256.getUri(),
                    new UserTokenPolicy[]{new UserTokenPolicy("anonymous", UserTokenType.Anonymous, null, null, null)},
                    secured.getTransportProfileUri(), secured.getSecurityLevel());
            OpcUaClient anonymous = OpcUaClient.create(org.eclipse.milo.opcua.sdk.client.OpcUaClientConfig.builder()
                    .setEndpoint(withAnonymous).setApplicationUri(CLIENT_URI).setKeyPair(hmi.keyPair())
                    .setCertificate(hmi.certificate()).setCertificateChain(new X509Certificate[]{hmi.certificate()})
                    .setIdentityProvider(AnonymousProvider.INSTANCE).build());
            assertThatThrownBy(anonymous::connect).isInstanceOf(UaException.class);
            disconnectQuietly(anonymous);
        }
    }

    @Test
    void aWrongPasswordAndAnUnknownUserAreRefusedAndAudited() throws Exception {
        try (AuditCapture audit = new AuditCapture()) {
            assertThatThrownBy(() -> connectAs(new UsernameProvider(VIEWER, "not-the-password")))
                    .isInstanceOfSatisfying(UaException.class, e ->
                            assertThat(e.getStatusCode().getValue()).isEqualTo(StatusCodes.Bad_UserAccessDenied));
            assertThatThrownBy(() -> connectAs(new UsernameProvider("mallory", "whatever-pass")))
                    .isInstanceOf(UaException.class);

            assertThat(audit.lines()).anySatisfy(line -> assertThat(line)
                    .startsWith("WARN LOGIN REFUSED user=vera address=127.0.0.1 by=password").contains("wrong password"));
            assertThat(audit.lines()).anySatisfy(line -> assertThat(line)
                    .startsWith("WARN LOGIN REFUSED user=mallory").contains("unknown user"));
            assertThat(String.join("\n", audit.lines())).doesNotContain("not-the-password");
        }
        // The right password still works (two failures are below the lockout threshold).
        connectAs(new UsernameProvider(VIEWER, VIEWER_PASSWORD)).disconnect();
    }

    @Test
    void aViewerReadsAndBrowsesButCannotAcknowledgeCommentDisableEnableOrRetrain() throws Exception {
        OpcUaClient client = connectAs(new UsernameProvider(VIEWER, VIEWER_PASSWORD));
        try (AuditCapture audit = new AuditCapture()) {
            DataValue window = client.readValue(0, TimestampsToReturn.Both, node("WindowSize"));
            assertThat(window.value().value()).as("read WindowSize: %s", window).isEqualTo(org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint(60));
            assertThat(client.getAddressSpace().browseNodes(new NodeId(ns, "WellWatch/Wells/" + WELL)))
                    .extracting(n -> n.getBrowseName().name()).contains("RiskLevel", "AnomalyAlarm", "Retrain");

            assertThat(acknowledge(client)).isEqualTo(StatusCodes.Bad_UserAccessDenied);
            assertThat(addComment(client)).isEqualTo(StatusCodes.Bad_UserAccessDenied);
            assertThat(call(client, alarm(), NodeIds.ConditionType_Disable)).isEqualTo(StatusCodes.Bad_UserAccessDenied);
            assertThat(call(client, alarm(), NodeIds.ConditionType_Enable)).isEqualTo(StatusCodes.Bad_UserAccessDenied);
            assertThat(call(client, node(""), node("Retrain"))).isEqualTo(StatusCodes.Bad_UserAccessDenied);

            assertThat(audit.lines()).anySatisfy(line -> assertThat(line)
                    .isEqualTo("WARN ACTION REFUSED user=vera address=127.0.0.1 action=retrain target=" + WELL
                            + " reason=\"role viewer\""));
            assertThat(audit.lines()).anySatisfy(line -> assertThat(line).contains("user=vera").contains("action=acknowledge"));
        } finally {
            client.disconnect();
        }
    }

    @Test
    void anOperatorMayAcknowledgeCommentDisableEnableAndRetrain() throws Exception {
        OpcUaClient client = connectAs(new UsernameProvider(OPERATOR, OPERATOR_PASSWORD));
        try {
            // Past the role check: the stale EventId is what is refused now.
            assertThat(acknowledge(client)).isEqualTo(StatusCodes.Bad_EventIdUnknown);
            assertThat(addComment(client)).isEqualTo(StatusCodes.Bad_EventIdUnknown);
            // With the current EventId the comment is taken, and ClientUserId names the user, not the session
            assertThat(call(client, alarm(), NodeIds.ConditionType_AddComment,
                    new Variant(server.namespace().anomalyAlarm(WELL).lastEventId()),
                    new Variant(LocalizedText.english("checked the choke")))).isEqualTo(StatusCodes.Good);
            assertThat(server.namespace().anomalyAlarm(WELL).clientUserId()).isEqualTo(OPERATOR);
            assertThat(call(client, alarm(), NodeIds.ConditionType_Disable)).isEqualTo(StatusCodes.Good);
            assertThat(call(client, alarm(), NodeIds.ConditionType_Enable)).isEqualTo(StatusCodes.Good);
            // The real detector answers: too few samples to train.
            assertThat(call(client, node(""), node("Retrain"))).isEqualTo(StatusCodes.Bad_InvalidState);
        } finally {
            client.disconnect();
        }
    }

    @Test
    void aUserCertificateLogsInWhenTrustedAndItsCnIsAUser() throws Exception {
        OpcUaClient client = connectAs(new X509IdentityProvider(carol.certificate(), carol.keyPair().getPrivate()));
        try {
            assertThat(call(client, alarm(), NodeIds.ConditionType_Disable)).as("carol is an operator").isEqualTo(StatusCodes.Good);
            assertThat(call(client, alarm(), NodeIds.ConditionType_Enable)).isEqualTo(StatusCodes.Good);
        } finally {
            client.disconnect();
        }

        Credentials impostor = Credentials.user(CERT_USER); // same CN, other key, not trusted
        try (AuditCapture audit = new AuditCapture()) {
            assertThatThrownBy(() -> connectAs(new X509IdentityProvider(impostor.certificate(), impostor.keyPair().getPrivate())))
                    .isInstanceOf(UaException.class);
            assertThat(audit.lines()).anySatisfy(line -> assertThat(line)
                    .contains("LOGIN REFUSED user=carol").contains("by=certificate").contains("not trusted"));
            assertThat(audit.lines()).anySatisfy(line -> assertThat(line)
                    .contains("CERTIFICATE REFUSED kind=user").contains(Audit.thumbprint(impostor.certificate()))
                    .contains("reason=\"Bad_SecurityChecksFailed: not trusted (not in user/trusted/certs, nor issued by a CA there)\""));
        }
        byte[] der = impostor.certificate().getEncoded();
        assertThat(derFilesIn(server.pki().directory().resolve("user/rejected")))
                .as("the refused user certificate is kept for review").anySatisfy(b -> assertThat(b).isEqualTo(der));
    }

    @Test
    void anUntrustedClientLandsInRejectedAndIsAdmittedAfterMovingItToTrustedWithoutRestart() throws Exception {
        Credentials newcomer = Credentials.application("urn:wellwatch:test:newcomer");
        try (AuditCapture audit = new AuditCapture()) {
            assertThatThrownBy(() -> TestClients.connect(server.endpointUrl(), SecurityPolicy.Aes256_Sha256_RsaPss,
                    MessageSecurityMode.SignAndEncrypt, newcomer, "urn:wellwatch:test:newcomer",
                    new UsernameProvider(VIEWER, VIEWER_PASSWORD), serverCertificate)).isInstanceOf(UaException.class);
            assertThat(audit.lines()).anySatisfy(line -> assertThat(line)
                    .contains("CERTIFICATE REFUSED kind=application").contains(Audit.thumbprint(newcomer.certificate()))
                    // Plant IT's words, not the JDK's path-building message.
                    .contains("reason=\"Bad_SecurityChecksFailed: not trusted (not in trusted/certs, nor issued by a CA there)\""));
        }
        byte[] der = newcomer.certificate().getEncoded();
        Path rejected;
        try (Stream<Path> files = Files.list(server.pki().rejectedDir())) {
            rejected = files.filter(f -> java.util.Arrays.equals(readQuietly(f), der))
                    .findFirst().orElseThrow(() -> new AssertionError("client certificate not in rejected/"));
        }

        // What plant IT does: move the file. The trust list watches its directory.
        Files.move(rejected, server.pki().trustedCertsDir().resolve(rejected.getFileName()));
        OpcUaClient client = null;
        UaException last = null;
        for (int attempt = 0; attempt < 40 && client == null; attempt++) {
            try {
                client = TestClients.connect(server.endpointUrl(), SecurityPolicy.Aes256_Sha256_RsaPss,
                        MessageSecurityMode.SignAndEncrypt, newcomer, "urn:wellwatch:test:newcomer",
                        new UsernameProvider(VIEWER, VIEWER_PASSWORD), serverCertificate);
            } catch (UaException e) {
                last = e;
                Thread.sleep(250);
            }
        }
        assertThat(client).as("admitted after the move without restart (last error %s)", last).isNotNull();
        assertThat(server.isRunning()).isTrue();
        DataValue state = client.readValue(0, TimestampsToReturn.Neither, NodeIds.Server_ServerStatus_State);
        assertThat(state.value().value()).isEqualTo(0);
        client.disconnect();
    }

    @Test
    void aClientOfATrustedCaIsRefusedOnceTheCasCrlRevokesItWithoutRestart() throws Exception {
        TestAuthority plantCa = new TestAuthority("plant CA");
        Files.write(server.pki().trustedCertsDir().resolve("plant-ca.der"), plantCa.certificate().getEncoded());
        Files.write(server.pki().directory().resolve("trusted/crl/plant-ca.crl"), plantCa.revocationList().getEncoded());
        String uri = "urn:wellwatch:test:ca-issued";
        Credentials laptop = plantCa.issue(uri, Instant.now().minusSeconds(3600), Instant.now().plusSeconds(86_400));
        OpcUaClient client = connectEventually(laptop, uri);
        client.disconnect();

        // What plant IT does when a laptop is lost: the CA's new CRL replaces the old one.
        Files.write(server.pki().directory().resolve("trusted/crl/plant-ca.crl"),
                plantCa.revocationList(laptop.certificate()).getEncoded());
        try (AuditCapture audit = new AuditCapture()) {
            UaException refused = connectEventuallyRefused(laptop, uri);
            // The client learns only that security checks failed; the audit log says why.
            assertThat(refused.getStatusCode().getValue()).as("%s", refused)
                    .isIn(StatusCodes.Bad_SecurityChecksFailed, StatusCodes.Bad_CertificateRevoked);
            assertThat(audit.lines()).anySatisfy(line -> assertThat(line)
                    .contains("CERTIFICATE REFUSED kind=application").contains(Audit.thumbprint(laptop.certificate()))
                    .contains("Bad_CertificateRevoked"));
        }
        assertThat(server.isRunning()).isTrue();
    }

    @Test
    void anExpiredCertificateOfATrustedCaIsRefused() throws Exception {
        TestAuthority plantCa = new TestAuthority("plant CA 2");
        Files.write(server.pki().trustedCertsDir().resolve("plant-ca-2.der"), plantCa.certificate().getEncoded());
        Files.write(server.pki().directory().resolve("trusted/crl/plant-ca-2.crl"), plantCa.revocationList().getEncoded());
        String uri = "urn:wellwatch:test:expired";
        Credentials current = plantCa.issue(uri, Instant.now().minusSeconds(3600), Instant.now().plusSeconds(86_400));
        connectEventually(current, uri).disconnect(); // the CA is trusted by now
        Credentials expired = plantCa.issue(uri, Instant.now().minusSeconds(86_400 * 30), Instant.now().minusSeconds(86_400));
        assertRefusedAsExpired(expired, uri);
    }

    @Test
    void anExpiredSelfSignedCertificateIsRefusedEvenInTrusted() throws Exception {
        String uri = "urn:wellwatch:test:expired-self-signed";
        Credentials expired = TestAuthority.selfSigned(uri, Instant.now().minusSeconds(86_400 * 400),
                Instant.now().minusSeconds(86_400));
        expired.trustIn(server.pki().trustedCertsDir());
        Thread.sleep(1500); // let the trust list pick the file up, so the refusal is the expiry
        assertRefusedAsExpired(expired, uri);
    }

    /** The client only learns Bad_SecurityChecksFailed (no hints to a stranger); the audit log names the expiry. */
    private static void assertRefusedAsExpired(Credentials expired, String uri) throws Exception {
        try (AuditCapture audit = new AuditCapture()) {
            UaException refused = connectEventuallyRefused(expired, uri);
            assertThat(refused.getStatusCode().getValue()).as("%s", refused)
                    .isIn(StatusCodes.Bad_SecurityChecksFailed, StatusCodes.Bad_CertificateTimeInvalid);
            assertThat(audit.lines()).anySatisfy(line -> assertThat(line)
                    .contains("CERTIFICATE REFUSED kind=application").contains(Audit.thumbprint(expired.certificate()))
                    .contains("Bad_CertificateTimeInvalid"));
        }
        assertThat(server.isRunning()).isTrue();
    }

    /** Connects, retrying while the trust list catches up with a file just written. */
    private static OpcUaClient connectEventually(Credentials credentials, String applicationUri)
            throws Exception {
        UaException last = null;
        for (int attempt = 0; attempt < 40; attempt++) {
            try {
                return connectWith(credentials, applicationUri);
            } catch (UaException e) {
                last = e;
                Thread.sleep(250);
            }
        }
        throw new AssertionError("not admitted", last);
    }

    /** Connects until refused (the trust list picks a changed file up within a few seconds); returns the refusal. */
    private static UaException connectEventuallyRefused(Credentials credentials, String applicationUri) throws Exception {
        for (int attempt = 0; attempt < 40; attempt++) {
            try {
                connectWith(credentials, applicationUri).disconnect();
                Thread.sleep(250);
            } catch (UaException e) {
                return e;
            }
        }
        throw new AssertionError("still admitted after 40 attempts");
    }

    private static OpcUaClient connectWith(Credentials credentials, String applicationUri) throws UaException {
        return TestClients.connect(server.endpointUrl(), SecurityPolicy.Basic256Sha256, MessageSecurityMode.SignAndEncrypt,
                credentials, applicationUri, new UsernameProvider(VIEWER, VIEWER_PASSWORD), serverCertificate);
    }

    // ------------------------------------------------------------------ helpers

    private static OpcUaClient connectAs(IdentityProvider identity) throws UaException {
        return TestClients.connect(server.endpointUrl(), SecurityPolicy.Basic256Sha256, MessageSecurityMode.SignAndEncrypt,
                hmi, CLIENT_URI, identity, serverCertificate);
    }

    private static NodeId node(String child) {
        return new NodeId(ns, "WellWatch/Wells/" + WELL + (child.isEmpty() ? "" : "/" + child));
    }

    private static NodeId alarm() {
        return node("AnomalyAlarm");
    }

    private static long acknowledge(OpcUaClient client) throws Exception {
        return call(client, alarm(), NodeIds.AcknowledgeableConditionType_Acknowledge,
                new Variant(ByteString.of(new byte[]{1, 2, 3})), new Variant(LocalizedText.english("seen")));
    }

    private static long addComment(OpcUaClient client) throws Exception {
        return call(client, alarm(), NodeIds.ConditionType_AddComment,
                new Variant(ByteString.of(new byte[]{1, 2, 3})), new Variant(LocalizedText.english("noted")));
    }

    private static long call(OpcUaClient client, NodeId object, NodeId method, Variant... inputs) throws Exception {
        StatusCode status = client.call(List.of(new CallMethodRequest(object, method, inputs))).getResults()[0].getStatusCode();
        return status.getValue();
    }

    private static List<byte[]> derFilesIn(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(SecuredServerTest::readQuietly).toList();
        }
    }

    private static byte[] readQuietly(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static void disconnectQuietly(OpcUaClient client) {
        try {
            client.disconnect();
        } catch (UaException ignored) {
            // never connected
        }
    }

    static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
