package io.wellwatch.security;

import java.security.cert.X509Certificate;
import java.util.HexFormat;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;

/**
 * The security audit trail: logger {@value #LOGGER_NAME} (its own file, {@code logs/audit.log}).
 * One line per event, {@code key=value} fields so that a SIEM can parse them. Refusals are WARN,
 * accepted logins INFO.
 */
public final class Audit {

    public static final String LOGGER_NAME = "wellwatch.audit";
    private static final Logger LOG = LogManager.getLogger(LOGGER_NAME);

    private Audit() {
    }

    public static void loginAccepted(String user, String address, String how, String role) {
        LOG.info("LOGIN ACCEPTED user={} address={} by={} role={}", user, address, how, role);
    }

    public static void loginRefused(String user, String address, String how, String reason) {
        LOG.warn("LOGIN REFUSED user={} address={} by={} reason=\"{}\"", user, address, how, reason);
    }

    public static void actionRefused(String user, String address, String action, String target, String reason) {
        LOG.warn("ACTION REFUSED user={} address={} action={} target={} reason=\"{}\"", user, address, action, target, reason);
    }

    public static void certificateRefused(String kind, X509Certificate certificate, String reason, String rejectedFile) {
        LOG.warn("CERTIFICATE REFUSED kind={} subject=\"{}\" thumbprint={} reason=\"{}\" file={}",
                kind, certificate.getSubjectX500Principal().getName(), thumbprint(certificate), reason, rejectedFile);
    }

    /** The SHA-1 thumbprint (of the DER encoding) in hex, as OPC UA tools show it. */
    public static String thumbprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(CertificateUtil.thumbprint(certificate).bytesOrEmpty());
        } catch (UaException e) {
            return "?";
        }
    }
}
