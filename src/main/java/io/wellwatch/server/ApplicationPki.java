package io.wellwatch.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.security.CertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultApplicationGroup;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultServerCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.FileBasedCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.FileBasedTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.KeyStoreCertificateStore;
import org.eclipse.milo.opcua.stack.core.security.RsaSha256CertificateFactory;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;

/**
 * The server's PKI directory: its application instance certificate and the trust lists.
 *
 * <pre>
 * &lt;pkiDir&gt;/own/wellwatch-server.pfx   private key + certificate (PKCS#12, created on first start)
 * &lt;pkiDir&gt;/own/wellwatch-server.der   the certificate alone, to hand to client administrators
 * &lt;pkiDir&gt;/trusted/{certs,crl}         trusted client certificates / CRLs
 * &lt;pkiDir&gt;/issuers/{certs,crl}         CA certificates / CRLs used to build chains
 * &lt;pkiDir&gt;/rejected/                   client certificates that failed validation
 * </pre>
 *
 * Milo 1.1.2 does not need a certificate for a SecurityPolicy None endpoint; we still create it
 * on first start so the server has a stable application identity (returned by GetEndpoints)
 * and secured endpoints only need configuration. A certificate that exists is reused as is.
 */
final class ApplicationPki implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(ApplicationPki.class);

    private static final String KEY_STORE_FILE = "wellwatch-server.pfx";
    private static final String CERTIFICATE_FILE = "wellwatch-server.der";
    // Protects the PKCS#12 container only; the file itself is readable by its owner only.
    // Making this configurable belongs with the secured-endpoints work.
    private static final char[] KEY_STORE_PASSWORD = "wellwatch".toCharArray();

    private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");

    private final Path pkiDir;
    private final Path keyStoreFile;
    private final String applicationUri;
    private final Set<String> hostnames;

    private final FileBasedTrustListManager trustListManager;
    private final KeyStoreCertificateStore certificateStore;
    private final DefaultApplicationGroup applicationGroup;
    private final CertificateManager certificateManager;

    /**
     * Creates the directory layout; nothing is read or generated before {@link #open()}.
     *
     * @param hostnames names and addresses to list in the certificate's SubjectAltName when it
     *                  is created (wildcard addresses are skipped)
     */
    ApplicationPki(Path pkiDir, String applicationUri, Collection<String> hostnames) throws IOException {
        this.pkiDir = pkiDir;
        this.applicationUri = applicationUri;
        this.hostnames = new LinkedHashSet<>(hostnames);

        Path own = Files.createDirectories(pkiDir.resolve("own"));
        keyStoreFile = own.resolve(KEY_STORE_FILE);
        trustListManager = new FileBasedTrustListManager(
                Files.createDirectories(pkiDir.resolve("issuers").resolve("certs")),
                Files.createDirectories(pkiDir.resolve("issuers").resolve("crl")),
                Files.createDirectories(pkiDir.resolve("trusted").resolve("certs")),
                Files.createDirectories(pkiDir.resolve("trusted").resolve("crl")));
        certificateStore = new KeyStoreCertificateStore(new KeyStoreCertificateStore.Settings(
                keyStoreFile, KEY_STORE_PASSWORD::clone, alias -> KEY_STORE_PASSWORD.clone()));

        var quarantine = FileBasedCertificateQuarantine.create(pkiDir.resolve("rejected"));
        applicationGroup = new DefaultApplicationGroup(trustListManager, certificateStore,
                new SelfSignedFactory(), new DefaultServerCertificateValidator(trustListManager, quarantine));
        certificateManager = new DefaultCertificateManager(quarantine, applicationGroup);
    }

    /** For the server configuration; usable once {@link #open()} has run. */
    CertificateManager certificateManager() {
        return certificateManager;
    }

    /** Loads the trust lists and the application certificate, creating the certificate if missing. */
    void open() throws Exception {
        trustListManager.initialize();
        certificateStore.initialize();
        applicationGroup.initialize();
        restrictToOwner(keyStoreFile);

        X509Certificate certificate = certificate()
                .orElseThrow(() -> new IllegalStateException("no application certificate in " + keyStoreFile));
        checkApplicationUri(certificate);
        exportCertificate(certificate, keyStoreFile.resolveSibling(CERTIFICATE_FILE));
    }

    /** The application instance certificate, once {@link #open()} has run. */
    Optional<X509Certificate> certificate() {
        return applicationGroup.getCertificateChain(NodeIds.RsaSha256ApplicationCertificateType)
                .filter(chain -> chain.length > 0)
                .map(chain -> chain[0]);
    }

    @Override
    public void close() {
        // The trust list manager runs a directory watch thread: it must not outlive the server.
        closeQuietly(trustListManager);
        closeQuietly(certificateStore);
    }

    private final class SelfSignedFactory extends RsaSha256CertificateFactory {
        @Override
        protected X509Certificate[] createRsaSha256CertificateChain(KeyPair keyPair) throws Exception {
            LOG.info("Creating self-signed application certificate for {} in {}", applicationUri, pkiDir);
            SelfSignedCertificateBuilder builder = new SelfSignedCertificateBuilder(keyPair)
                    .setCommonName("WellWatch Server")
                    .setOrganization("WellWatch")
                    .setApplicationUri(applicationUri);
            for (String host : hostnames) {
                if (host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::")) {
                    continue;
                }
                if (IPV4.matcher(host).matches() || host.indexOf(':') >= 0) {
                    builder.addIpAddress(host);
                } else {
                    builder.addDnsName(host);
                }
            }
            return new X509Certificate[]{builder.build()};
        }
    }

    private void checkApplicationUri(X509Certificate certificate) {
        Optional<String> uri = CertificateUtil.getSanUri(certificate);
        if (uri.isEmpty() || !uri.get().equals(applicationUri)) {
            // Secured connections will fail with such a certificate; None endpoints are unaffected.
            LOG.warn("Application certificate in {} names application URI {} instead of {}",
                    pkiDir, uri.orElse("(none)"), applicationUri);
        }
    }

    private static void exportCertificate(X509Certificate certificate, Path file)
            throws IOException, CertificateEncodingException {
        byte[] der = certificate.getEncoded();
        if (!Files.exists(file) || !Arrays.equals(Files.readAllBytes(file), der)) {
            Files.write(file, der);
        }
    }

    private static void restrictToOwner(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            LOG.debug("Could not restrict permissions of {}: {}", file, e.toString());
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("Error closing {}", closeable.getClass().getSimpleName(), e);
        }
    }
}
