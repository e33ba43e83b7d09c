package io.wellwatch.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.wellwatch.config.CertificateConfig;
import io.wellwatch.config.SecurityConfig;
import io.wellwatch.config.ServerConfig;
import io.wellwatch.server.WellWatchServer;
import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A certificate issued by plant IT (PKCS#12) is served as is, and a wrong one stops the start with the reason. */
class ConfiguredCertificateTest {

    @Test
    void theConfiguredCertificateIsServedAndItsKeyStoreIsNeverWritten(@TempDir Path tmp) throws Exception {
        Path keyStore = keyStore(tmp.resolve("plant.p12"), WellWatchServer.APPLICATION_URI, "p12-pass");
        byte[] before = Files.readAllBytes(keyStore);
        SecurityConfig security = SecurityConfig.DEFAULT.withPkiDir(tmp.resolve("pki").toString())
                .withCertificate(CertificateConfig.of(keyStore.toString(), "p12-pass", null));

        X509Certificate configured = (X509Certificate) load(keyStore, "p12-pass").getCertificate("plant");
        try (WellWatchServer server = new WellWatchServer(loopback(), security, tmp.resolve("pki"))) {
            server.start();
            List<EndpointDescription> endpoints = DiscoveryClient.getEndpoints(server.endpointUrl()).get(10, TimeUnit.SECONDS);
            assertThat(endpoints).isNotEmpty().allSatisfy(e -> assertThat(e.getServerCertificate().bytesOrEmpty())
                    .isEqualTo(configured.getEncoded()));
        }
        assertThat(Files.readAllBytes(keyStore)).as("used as is").isEqualTo(before);
        assertThat(tmp.resolve("pki/own/private/wellwatch.pfx")).doesNotExist();
        assertThat(Files.readAllBytes(tmp.resolve("pki/own/certs/wellwatch.der"))).isEqualTo(configured.getEncoded());
    }

    @Test
    void aCertificateForAnotherApplicationOrAWrongPasswordStopsTheStartWithTheReason(@TempDir Path tmp) throws Exception {
        Path other = keyStore(tmp.resolve("other.p12"), "urn:someone:else", "pw");
        assertThatThrownBy(() -> new WellWatchServer(loopback(), SecurityConfig.DEFAULT.withPkiDir(tmp.toString())
                .withCertificate(CertificateConfig.of(other.toString(), "pw", null)), tmp.resolve("pki1")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("names application URI urn:someone:else")
                .hasMessageContaining("urn:wellwatch:server");
        assertThatThrownBy(() -> new WellWatchServer(loopback(), SecurityConfig.DEFAULT.withPkiDir(tmp.toString())
                .withCertificate(CertificateConfig.of(other.toString(), "not-it", null)), tmp.resolve("pki2")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("wrong password or not a PKCS#12 file");
    }

    private static ServerConfig loopback() throws Exception {
        return new ServerConfig("127.0.0.1", SecuredServerTest.freePort(), "/wellwatch", "127.0.0.1");
    }

    /** A key store as plant IT would hand it over (e.g. from openssl pkcs12 -export). */
    private static Path keyStore(Path file, String applicationUri, String password) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keyPair = generator.generateKeyPair();
        X509Certificate certificate = new SelfSignedCertificateBuilder(keyPair).setCommonName("wellwatch.plant")
                .setApplicationUri(applicationUri).addIpAddress("127.0.0.1").addDnsName("localhost").build();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("plant", keyPair.getPrivate(), password.toCharArray(), new Certificate[]{certificate});
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
        assertThat(CertificateUtil.getSanUri(certificate)).contains(applicationUri);
        return file;
    }

    private static KeyStore load(Path file, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }
}
