package io.wellwatch.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.wellwatch.config.CertificateConfig;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.CertificateManager;
import org.eclipse.milo.opcua.stack.core.security.CertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.CertificateStore;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultApplicationGroup;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultServerCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.FileBasedCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.FileBasedTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.TrustListManager;
import org.eclipse.milo.opcua.stack.core.util.validation.ValidationCheck;
import org.eclipse.milo.opcua.stack.core.security.KeyStoreCertificateStore;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateStore;
import org.eclipse.milo.opcua.stack.core.security.RsaSha256CertificateFactory;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.DigestUtil;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;

/**
 * The application's PKI directory in the usual OPC UA layout: its application instance
 * certificate, the trust lists for peer applications and for user certificates, and where refused
 * certificates land.
 *
 * <pre>
 * &lt;pkiDir&gt;/own/private/wellwatch.pfx   private key + certificate (PKCS#12, owner-only), created on first start
 * &lt;pkiDir&gt;/own/certs/wellwatch.der     the certificate alone, to hand to client and PLC administrators
 * &lt;pkiDir&gt;/trusted/{certs,crl}          trusted client applications and PLCs / their CRLs
 * &lt;pkiDir&gt;/issuers/{certs,crl}          CA certificates / CRLs used to build chains
 * &lt;pkiDir&gt;/rejected/                    refused application certificates (move one to trusted/certs to admit it)
 * &lt;pkiDir&gt;/user/trusted/{certs,crl}     trusted X.509 user certificates (or their CAs in user/issuers)
 * &lt;pkiDir&gt;/user/rejected/               refused user certificates
 * </pre>
 *
 * The trust lists are Milo's {@link FileBasedTrustListManager}, which watches its directories: a
 * certificate moved into {@code trusted/certs} is trusted from then on, without a restart.
 *
 * <p>The application certificate is created on first start (RSA 2048, SHA256withRSA, the
 * ApplicationUri and the host names and addresses in SubjectAltName) unless one exists. A
 * certificate configured by plant IT ({@link CertificateConfig}) is read from its key store and
 * used as is: nothing is ever written to it.
 */
public final class ApplicationPki implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(ApplicationPki.class);

    private static final String KEY_STORE_FILE = "wellwatch.pfx";
    private static final String CERTIFICATE_FILE = "wellwatch.der";
    // Protects the PKCS#12 container only; the file itself is readable by its owner only.
    private static final char[] KEY_STORE_PASSWORD = "wellwatch".toCharArray();
    private static final int MIN_RSA_BITS = 2048;

    private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");

    /** The common name of the server's (and the PLC simulator's) application certificate. */
    static final String SERVER_COMMON_NAME = "WellWatch";

    private final Path pkiDir;
    private final String applicationUri;
    private final String commonName;
    private final Set<String> hostnames;
    private final CertificateConfig configured;
    private final Path ownCertificateFile;
    private final Path rejectedDir;
    private final Path userRejectedDir;

    /*
     * Milo enforces none of the optional checks by default: an expired certificate, or one its CA
     * has revoked in a CRL under trusted/crl or issuers/crl, would only be logged and admitted.
     * A CA without any CRL is still admitted (REVOCATION_LISTS is not enforced): plants that
     * issue their own certificates do not all publish CRLs.
     */
    static final Set<ValidationCheck> ENFORCED_CHECKS = Set.copyOf(EnumSet.of(ValidationCheck.VALIDITY, ValidationCheck.REVOCATION));

    private final FileBasedTrustListManager trustListManager;
    private final FileBasedTrustListManager userTrustListManager;
    private final CertificateStore certificateStore;
    private final DefaultApplicationGroup applicationGroup;
    private final CertificateManager certificateManager;
    private final CertificateValidator peerServerValidator;
    private final CertificateValidator userCertificateValidator;

    /**
     * Creates the directory layout; nothing is read or generated before {@link #open()}.
     *
     * @param hostnames  names and addresses to list in the certificate's SubjectAltName when it
     *                   is created (wildcard addresses are skipped)
     * @param configured a certificate to use as is, or null to use (and on first start create)
     *                   the one in {@code own/}
     */
    public ApplicationPki(Path pkiDir, String applicationUri, Collection<String> hostnames,
                          CertificateConfig configured) throws IOException {
        this(pkiDir, applicationUri, SERVER_COMMON_NAME, hostnames, configured, true);
    }

    /**
     * The PKI of a command-line client such as {@code wellwatch history}: its certificate is
     * created with {@code commonName} (so that plant IT can tell it from the server's in a
     * rejected/ folder), and its refusals of a server certificate are not audited: that is the
     * client's decision, reported by the command itself, not a security event of this server.
     */
    public static ApplicationPki forCommandLineClient(Path pkiDir, String applicationUri, String commonName)
            throws IOException {
        return new ApplicationPki(pkiDir, applicationUri, commonName, List.of("localhost"), null, false);
    }

    private ApplicationPki(Path pkiDir, String applicationUri, String commonName, Collection<String> hostnames,
                           CertificateConfig configured, boolean audited) throws IOException {
        registerBouncyCastle();
        this.pkiDir = pkiDir;
        this.applicationUri = applicationUri;
        this.commonName = commonName;
        this.hostnames = new LinkedHashSet<>(hostnames);
        this.configured = configured;

        Path privateDir = Files.createDirectories(pkiDir.resolve("own").resolve("private"));
        ownCertificateFile = Files.createDirectories(pkiDir.resolve("own").resolve("certs")).resolve(CERTIFICATE_FILE);
        trustListManager = trustList(pkiDir);
        userTrustListManager = trustList(pkiDir.resolve("user"));
        rejectedDir = pkiDir.resolve("rejected");
        userRejectedDir = pkiDir.resolve("user").resolve("rejected");
        CertificateQuarantine quarantine = FileBasedCertificateQuarantine.create(rejectedDir);
        CertificateQuarantine userQuarantine = FileBasedCertificateQuarantine.create(userRejectedDir);

        certificateStore = configured != null ? new MemoryCertificateStore()
                : new KeyStoreCertificateStore(new KeyStoreCertificateStore.Settings(privateDir.resolve(KEY_STORE_FILE),
                KEY_STORE_PASSWORD::clone, alias -> KEY_STORE_PASSWORD.clone()));

        CertificateValidator clients = audited("application", trustListManager,
                new DefaultServerCertificateValidator(trustListManager, ENFORCED_CHECKS, quarantine), rejectedDir, audited);
        applicationGroup = new DefaultApplicationGroup(trustListManager, certificateStore, new SelfSignedFactory(), clients);
        certificateManager = new DefaultCertificateManager(quarantine, applicationGroup);
        peerServerValidator = audited("plc", trustListManager,
                new DefaultClientCertificateValidator(trustListManager, ENFORCED_CHECKS, quarantine), rejectedDir, audited);
        userCertificateValidator = audited("user", userTrustListManager,
                new DefaultServerCertificateValidator(userTrustListManager, ENFORCED_CHECKS, userQuarantine),
                userRejectedDir, audited);
    }

    private static CertificateValidator audited(String kind, TrustListManager trustList, CertificateValidator delegate,
                                                Path quarantineDir, boolean audited) {
        return audited ? new AuditedValidator(kind, trustList, delegate, quarantineDir) : delegate;
    }

    /** For the server configuration; usable once {@link #open()} has run. */
    public CertificateManager certificateManager() {
        return certificateManager;
    }

    /**
     * Loads the trust lists and the application certificate: the configured one, else the one in
     * {@code own/}, created if missing.
     *
     * @throws IllegalStateException when the configured certificate cannot be used (with the reason)
     */
    public void open() throws Exception {
        trustListManager.initialize();
        userTrustListManager.initialize();
        if (configured != null) {
            certificateStore.set(NodeIds.RsaSha256ApplicationCertificateType, readConfigured(configured));
        } else {
            ((KeyStoreCertificateStore) certificateStore).initialize();
        }
        applicationGroup.initialize();
        if (configured == null) {
            restrictToOwner(pkiDir.resolve("own").resolve("private").resolve(KEY_STORE_FILE));
        }
        X509Certificate certificate = certificate()
                .orElseThrow(() -> new IllegalStateException("no application certificate in " + pkiDir));
        checkApplicationUri(certificate);
        checkHostnames(certificate);
        exportCertificate(certificate, ownCertificateFile);
    }

    /** The application instance certificate, once {@link #open()} has run. */
    public Optional<X509Certificate> certificate() {
        return certificateChain().map(chain -> chain[0]);
    }

    /** The application instance certificate and its issuers, once {@link #open()} has run. */
    public Optional<X509Certificate[]> certificateChain() {
        return applicationGroup.getCertificateChain(NodeIds.RsaSha256ApplicationCertificateType)
                .filter(chain -> chain.length > 0);
    }

    /** The application's key pair, once {@link #open()} has run. */
    public Optional<KeyPair> keyPair() {
        return applicationGroup.getKeyPair(NodeIds.RsaSha256ApplicationCertificateType);
    }

    /** Checks a PLC's certificate against the trust list (WellWatch as a client); refused ones land in rejected/. */
    public CertificateValidator peerServerValidator() {
        return peerServerValidator;
    }

    /** Checks an X.509 user certificate against the user trust list; refused ones land in user/rejected/. */
    public CertificateValidator userCertificateValidator() {
        return userCertificateValidator;
    }

    public Path directory() {
        return pkiDir;
    }

    public Path rejectedDir() {
        return rejectedDir;
    }

    public Path trustedCertsDir() {
        return pkiDir.resolve("trusted").resolve("certs");
    }

    public Path userTrustedCertsDir() {
        return pkiDir.resolve("user").resolve("trusted").resolve("certs");
    }

    /** Where the application certificate is exported, to hand to the administrators of peers. */
    public Path ownCertificateFile() {
        return ownCertificateFile;
    }

    @Override
    public void close() {
        // The trust list managers run directory watch threads: they must not outlive the server.
        closeQuietly(trustListManager);
        closeQuietly(userTrustListManager);
        if (certificateStore instanceof AutoCloseable c) {
            closeQuietly(c);
        }
    }

    /**
     * Milo names the RSA-PSS signature of Aes256_Sha256_RsaPss as Bouncy Castle does
     * ("SHA256withRSA/PSS"); without the provider that policy fails on both sides of a channel.
     */
    private static synchronized void registerBouncyCastle() {
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
    }

    private static FileBasedTrustListManager trustList(Path base) throws IOException {
        return new FileBasedTrustListManager(
                Files.createDirectories(base.resolve("issuers").resolve("certs")),
                Files.createDirectories(base.resolve("issuers").resolve("crl")),
                Files.createDirectories(base.resolve("trusted").resolve("certs")),
                Files.createDirectories(base.resolve("trusted").resolve("crl")));
    }

    private final class SelfSignedFactory extends RsaSha256CertificateFactory {
        @Override
        protected X509Certificate[] createRsaSha256CertificateChain(KeyPair keyPair) throws Exception {
            LOG.info("Creating self-signed application certificate for {} in {}", applicationUri, pkiDir);
            SelfSignedCertificateBuilder builder = new SelfSignedCertificateBuilder(keyPair)
                    .setCommonName(commonName)
                    .setOrganization("WellWatch")
                    .setApplicationUri(applicationUri)
                    .setSignatureAlgorithm(SelfSignedCertificateBuilder.SA_SHA256_RSA);
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

    /** Reads a plant-issued PKCS#12 key store; the checks name what is wrong in plant IT's words. */
    private static CertificateStore.Entry readConfigured(CertificateConfig c) throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        char[] password = c.password().toCharArray();
        try (InputStream in = Files.newInputStream(Path.of(c.keyStore()))) {
            keyStore.load(in, password);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read certificate key store " + c.keyStore()
                    + " (wrong password or not a PKCS#12 file): " + e.getMessage(), e);
        }
        String alias = c.alias();
        if (alias == null) {
            alias = Collections.list(keyStore.aliases()).stream().filter(a -> isKeyEntry(keyStore, a)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("key store " + c.keyStore() + " holds no private key"));
        } else if (!isKeyEntry(keyStore, alias)) {
            throw new IllegalStateException("key store " + c.keyStore() + " has no private key under alias '" + alias + "'");
        }
        PrivateKey key = (PrivateKey) keyStore.getKey(alias, password);
        Certificate[] chain = keyStore.getCertificateChain(alias);
        X509Certificate[] x509 = Arrays.stream(chain).map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
        if (!(x509[0].getPublicKey() instanceof RSAPublicKey rsa) || rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            throw new IllegalStateException("certificate in " + c.keyStore() + " must have an RSA key of at least "
                    + MIN_RSA_BITS + " bits for the RSA security policies");
        }
        LOG.info("Using the configured application certificate {} from {}", x509[0].getSubjectX500Principal(), c.keyStore());
        return new CertificateStore.Entry(key, x509);
    }

    private static boolean isKeyEntry(KeyStore keyStore, String alias) {
        try {
            return keyStore.isKeyEntry(alias);
        } catch (Exception e) {
            return false;
        }
    }

    private void checkApplicationUri(X509Certificate certificate) {
        Optional<String> uri = CertificateUtil.getSanUri(certificate);
        if (uri.isEmpty() || !uri.get().equals(applicationUri)) {
            // Clients refuse a secured session with such a certificate; the start says so plainly.
            throw new IllegalStateException("the application certificate in " + (configured != null
                    ? configured.keyStore() : pkiDir.toString()) + " names application URI " + uri.orElse("(none)")
                    + " but WellWatch's ApplicationUri is " + applicationUri
                    + "; issue the certificate with URI " + applicationUri + " in its SubjectAltName");
        }
    }

    private void checkHostnames(X509Certificate certificate) {
        List<String> named = new java.util.ArrayList<>(CertificateUtil.getSanDnsNames(certificate));
        named.addAll(CertificateUtil.getSanIpAddresses(certificate));
        for (String host : hostnames) {
            if (host != null && !host.isBlank() && !host.equals("0.0.0.0") && !host.equals("::")
                    && named.stream().noneMatch(host::equalsIgnoreCase)) {
                LOG.warn("The application certificate does not name host '{}' (it names {}); clients that check the"
                        + " host name will warn. Delete {} to have it created anew, or issue one that names it.",
                        host, named, configured != null ? "nothing (it is configured)" : pkiDir.resolve("own"));
            }
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
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("Error closing {}", closeable.getClass().getSimpleName(), e);
        }
    }

    /** Audits every refusal of a certificate chain, naming the file it was quarantined in. */
    private record AuditedValidator(String kind, TrustListManager trustList, CertificateValidator delegate,
                                    Path quarantineDir)
            implements CertificateValidator {
        @Override
        public void validateCertificateChain(List<X509Certificate> chain, String applicationUri, String[] hostnames)
                throws UaException {
            try {
                delegate.validateCertificateChain(chain, applicationUri, hostnames);
            } catch (UaException e) {
                if (!chain.isEmpty()) {
                    String reason = refusalReason(e, chain.get(0), trustList,
                            kind.equals("user") ? "user/trusted/certs" : "trusted/certs");
                    // Milo's quarantine names the file after the SHA-1 of the certificate's signature.
                    String file = quarantineDir.resolve(HexFormat.of().formatHex(DigestUtil.sha1(chain.get(0).getSignature()))
                            + ".der").toString();
                    Audit.certificateRefused(kind, chain.get(0), reason, file);
                }
                throw e;
            }
        }

        /*
         * Milo reports a CA-issued certificate that failed path building (expired, not yet valid) only
         * as Bad_SecurityChecksFailed; plant IT needs to read "expired" in the audit line.
         */
        private static String refusalReason(UaException e, X509Certificate certificate, TrustListManager trustList,
                                            String trustedDir) {
            String status = StatusCodes.lookup(e.getStatusCode().getValue()).map(n -> n[0])
                    .orElse(e.getStatusCode().toString());
            if (e.getStatusCode().getValue() != StatusCodes.Bad_SecurityChecksFailed) {
                return status;
            }
            Stream<X509CRL> crls = Stream.concat(trustList.getTrustedCrls().stream(), trustList.getIssuerCrls().stream());
            if (crls.anyMatch(crl -> crl.getIssuerX500Principal().equals(certificate.getIssuerX500Principal())
                    && crl.isRevoked(certificate))) {
                return "Bad_CertificateRevoked: in its CA's revocation list";
            }
            try {
                certificate.checkValidity();
            } catch (CertificateExpiredException expired) {
                return "Bad_CertificateTimeInvalid: expired " + certificate.getNotAfter().toInstant();
            } catch (CertificateNotYetValidException early) {
                return "Bad_CertificateTimeInvalid: not valid before " + certificate.getNotBefore().toInstant();
            }
            // Milo reports this without a cause, or with the JDK's path-building message ("the
            // trustAnchors parameter must be non-empty" for an empty trust list): say it plainly.
            if (!anchored(certificate, trustList)) {
                return status + ": not trusted (not in " + trustedDir + ", nor issued by a CA there)";
            }
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            return cause == e ? status : status + ": " + cause.getMessage();
        }

        /** Whether the certificate, or a CA above it (found by issuer name in issuers/ or trusted/), is trusted. */
        private static boolean anchored(X509Certificate certificate, TrustListManager trustList) {
            List<X509Certificate> trusted = trustList.getTrustedCertificates();
            List<X509Certificate> known = Stream.concat(trusted.stream(), trustList.getIssuerCertificates().stream()).toList();
            X509Certificate current = certificate;
            for (int depth = 0; depth < 8 && current != null; depth++) {
                if (trusted.contains(current)) {
                    return true;
                }
                X509Certificate child = current;
                current = child.getIssuerX500Principal().equals(child.getSubjectX500Principal()) ? null
                        : known.stream().filter(ca -> ca.getSubjectX500Principal().equals(child.getIssuerX500Principal()))
                        .findFirst().orElse(null);
            }
            return false;
        }
    }
}
