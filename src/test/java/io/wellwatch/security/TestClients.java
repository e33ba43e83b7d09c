package io.wellwatch.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.identity.IdentityProvider;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;

/** Real Milo clients with their own application certificates, as an HMI or a SCADA gateway would have. */
final class TestClients {

    private TestClients() {
    }

    /** A key pair and a self-signed certificate: an application instance certificate or a user certificate. */
    record Credentials(KeyPair keyPair, X509Certificate certificate) {

        /** An application instance certificate naming {@code applicationUri} and 127.0.0.1. */
        static Credentials application(String applicationUri) throws Exception {
            KeyPair keyPair = rsa();
            return new Credentials(keyPair, new SelfSignedCertificateBuilder(keyPair)
                    .setCommonName("test client").setApplicationUri(applicationUri)
                    .addIpAddress("127.0.0.1").addDnsName("localhost").build());
        }

        /** A user certificate whose Subject CN names the user. */
        static Credentials user(String name) throws Exception {
            KeyPair keyPair = rsa();
            return new Credentials(keyPair, new SelfSignedCertificateBuilder(keyPair).setCommonName(name)
                    .setApplicationUri("urn:user:" + name).build());
        }

        /** Writes the certificate (DER) into a trust directory, as plant IT would copy it. */
        void trustIn(Path certsDir) throws Exception {
            Files.write(certsDir.resolve(Audit.thumbprint(certificate) + ".der"),
                    certificate.getEncoded());
        }

        private static KeyPair rsa() throws Exception {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        }
    }

    /**
     * Connects with the given policy, mode and user; the client trusts exactly {@code serverCertificate}.
     *
     * @throws UaException when the server refuses (channel or session)
     */
    static OpcUaClient connect(String endpointUrl, SecurityPolicy policy, MessageSecurityMode mode,
                               Credentials application, String applicationUri, IdentityProvider identity,
                               X509Certificate serverCertificate) throws UaException {
        MemoryTrustListManager trust = new MemoryTrustListManager();
        trust.addTrustedCertificate(serverCertificate);
        OpcUaClient client = OpcUaClient.create(endpointUrl,
                endpoints -> select(endpoints, policy, mode),
                transport -> { },
                config -> config.setApplicationUri(applicationUri)
                        .setKeyPair(application.keyPair())
                        .setCertificate(application.certificate())
                        .setCertificateChain(new X509Certificate[]{application.certificate()})
                        .setCertificateValidator(new DefaultClientCertificateValidator(trust, new MemoryCertificateQuarantine()))
                        .setIdentityProvider(identity));
        try {
            client.connect();
        } catch (UaException e) {
            try {
                client.disconnect();
            } catch (UaException ignored) {
                // the refusal is what matters
            }
            throw e;
        }
        return client;
    }

    static Optional<EndpointDescription> select(List<EndpointDescription> endpoints, SecurityPolicy policy,
                                                MessageSecurityMode mode) {
        return endpoints.stream()
                .filter(e -> e.getSecurityPolicyUri().equals(policy.getUri()) && e.getSecurityMode() == mode)
                .findFirst();
    }

    static X509Certificate certificateOf(Path derFile) throws Exception {
        return CertificateUtil.decodeCertificate(Files.readAllBytes(derFile));
    }
}
