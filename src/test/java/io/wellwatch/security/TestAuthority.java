package io.wellwatch.security;

import io.wellwatch.security.TestClients.Credentials;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plant's certificate authority for the tests: it issues application instance certificates as a
 * plant CA would (not self-signed) and revokes them with a CRL.
 */
final class TestAuthority {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final Credentials ca;
    private final X500Name name;

    TestAuthority(String commonName) throws Exception {
        KeyPair keyPair = rsa();
        name = new X500Name("CN=" + commonName + ", O=WellWatch tests");
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(365))), name, keyPair.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keyPair.getPublic()));
        ca = new Credentials(keyPair, new JcaX509CertificateConverter().getCertificate(b.build(signer(keyPair))));
    }

    X509Certificate certificate() {
        return ca.certificate();
    }

    /** An application instance certificate for {@code applicationUri} on 127.0.0.1, valid from {@code from} to {@code to}. */
    Credentials issue(String applicationUri, Instant from, Instant to) throws Exception {
        KeyPair keyPair = rsa();
        return endEntity(name, ca, keyPair, applicationUri, from, to);
    }

    /** A self-signed application instance certificate (the usual kind), valid from {@code from} to {@code to}. */
    static Credentials selfSigned(String applicationUri, Instant from, Instant to) throws Exception {
        KeyPair keyPair = rsa();
        X500Name subject = subjectOf(applicationUri);
        return endEntity(subject, new Credentials(keyPair, null), keyPair, applicationUri, from, to);
    }

    private static X500Name subjectOf(String applicationUri) {
        return new X500Name("CN=test client " + applicationUri);
    }

    private static Credentials endEntity(X500Name issuer, Credentials signer, KeyPair keyPair, String applicationUri,
                                         Instant from, Instant to) throws Exception {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial(), Date.from(from), Date.from(to),
                subjectOf(applicationUri), keyPair.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation
                | KeyUsage.keyEncipherment | KeyUsage.dataEncipherment));
        b.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(new KeyPurposeId[]{KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                new GeneralName(GeneralName.uniformResourceIdentifier, applicationUri),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.dNSName, "localhost")}));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keyPair.getPublic()));
        if (signer.certificate() != null) {
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(signer.certificate()));
        }
        return new Credentials(keyPair, new JcaX509CertificateConverter().getCertificate(b.build(signer(signer.keyPair()))));
    }

    /** A CRL of this authority; it revokes {@code revoked} (none: an empty, current list). */
    X509CRL revocationList(X509Certificate... revoked) throws Exception {
        Date now = new Date();
        X509v2CRLBuilder b = new X509v2CRLBuilder(name, now);
        b.setNextUpdate(new Date(now.getTime() + Duration.ofDays(7).toMillis()));
        for (X509Certificate c : revoked) {
            b.addCRLEntry(c.getSerialNumber(), now, CRLReason.keyCompromise);
        }
        return new JcaX509CRLConverter().getCRL(b.build(signer(ca.keyPair())));
    }

    private static ContentSigner signer(KeyPair keyPair) throws Exception {
        return new JcaContentSignerBuilder("SHA256withRSA").build(keyPair.getPrivate());
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }
}
