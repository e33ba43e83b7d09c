package io.wellwatch.cli;

import io.wellwatch.config.SecurityConfig;
import io.wellwatch.config.UpstreamSecurityConfig;
import io.wellwatch.security.ApplicationPki;
import io.wellwatch.upstream.SecuredClient;
import io.wellwatch.upstream.UpstreamSecurity;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * How a command-line client ({@code history}) logs in to a WellWatch server: SecurityPolicy None
 * and anonymous (the demo), or a secured policy with this client's own application certificate in
 * {@code pkiDir} and optionally a user. The rules for picking the endpoint and the identity are the
 * PLC connections' ({@link UpstreamSecurity}). A refusal is turned into what to do about it.
 *
 * @param user null: anonymous
 */
record ClientLogin(String policy, String mode, String user, Path pkiDir) {

    static final String APPLICATION_URI = "urn:wellwatch:history-client";
    /** Not the server's "WellWatch": plant IT tells the two apart by subject in a rejected/ folder. */
    static final String COMMON_NAME = "WellWatch history client";
    static final Path DEFAULT_PKI = Path.of("certs", "history-client");
    static final ClientLogin NONE = new ClientLogin("None", "None", null, DEFAULT_PKI);

    /** The option values as given (null: not given); @throws IllegalArgumentException with a message for the user */
    static ClientLogin of(String policy, String mode, String user, String pkiDir) {
        String p = policy == null ? "None" : policy;
        if (!p.equals("None") && !SecurityConfig.DEFAULT_POLICIES.contains(p)) {
            throw new IllegalArgumentException("--security must be None or one of "
                    + String.join(", ", SecurityConfig.DEFAULT_POLICIES) + ", got '" + p + "'");
        }
        if (mode != null && !List.of("Sign", "SignAndEncrypt").contains(mode)) {
            throw new IllegalArgumentException("--mode must be Sign or SignAndEncrypt, got '" + mode + "'");
        }
        if (mode != null && p.equals("None")) {
            throw new IllegalArgumentException("--mode goes with a secured --security policy");
        }
        if (user != null && user.isBlank()) {
            throw new IllegalArgumentException("--user needs a name");
        }
        return new ClientLogin(p, p.equals("None") ? "None" : mode == null ? "SignAndEncrypt" : mode, user,
                pkiDir == null ? DEFAULT_PKI : Path.of(pkiDir));
    }

    boolean secured() {
        return !policy.equals("None");
    }

    /** A connected client and this client's PKI (null with policy None); closing disconnects. */
    record Session(OpcUaClient client, ApplicationPki pki) implements AutoCloseable {
        @Override
        public void close() {
            try {
                client.disconnect();
            } catch (UaException | RuntimeException ignored) {
                // done anyway
            }
            if (pki != null) {
                pki.close();
            }
        }
    }

    /**
     * Connects; {@code password} is asked only when a user is given.
     *
     * @throws IllegalStateException with what went wrong and what to do
     */
    Session connect(String endpoint, Supplier<String> password) {
        ApplicationPki pki = null;
        Set<Path> rejectedBefore = Set.of();
        try {
            if (secured()) {
                pki = ApplicationPki.forCommandLineClient(pkiDir, APPLICATION_URI, COMMON_NAME);
                pki.open();
                rejectedBefore = listing(pki.rejectedDir());
            }
            UpstreamSecurity security = UpstreamSecurity.of(
                    UpstreamSecurityConfig.of(policy, mode, user, user == null ? null : password.get()), pki, APPLICATION_URI);
            OpcUaClient client = SecuredClient.create(endpoint, security, "WellWatch history command", APPLICATION_URI, 10);
            try {
                client.connect();
            } catch (Exception e) {
                // Else Milo keeps reconnecting in the background, and would quarantine the server's
                // certificate again after the user has moved it to trusted/.
                new Session(client, null).close();
                throw e;
            }
            return new Session(client, pki);
        } catch (IllegalArgumentException e) {
            closeQuietly(pki);
            throw e;
        } catch (IllegalStateException e) {
            closeQuietly(pki);
            if (!secured() && e.getMessage() != null && e.getMessage().startsWith("no endpoint matching")) {
                throw new IllegalStateException(e.getMessage() + "; the server is secured: give --security POLICY"
                        + " (and --user NAME)", e);
            }
            throw e;
        } catch (Exception e) {
            closeQuietly(pki);
            throw new IllegalStateException("cannot connect to " + endpoint + ": " + why(e, pki, rejectedBefore), e);
        }
    }

    /** {@code e} and its causes, outermost first. */
    private static Stream<Throwable> causes(Throwable e) {
        return Stream.iterate(e, t -> t != null, Throwable::getCause);
    }

    /** The refusal in the user's terms. */
    private String why(Exception e, ApplicationPki pki, Set<Path> rejectedBefore) {
        if (causes(e).anyMatch(ConnectException.class::isInstance)) {
            return "connection refused (is WellWatch running there?)";
        }
        long status = statusOf(e);
        // Milo's AnonymousProvider refuses before asking the server when the endpoint offers no anonymous token.
        boolean noAnonymousToken = causes(e).anyMatch(t -> String.valueOf(t.getMessage()).contains("no anonymous token policy"));
        if (noAnonymousToken || status == StatusCodes.Bad_UserAccessDenied || status == StatusCodes.Bad_IdentityTokenRejected
                || status == StatusCodes.Bad_IdentityTokenInvalid) {
            return user == null ? "the server does not accept anonymous sessions; give --user NAME (and --security)"
                    : "the server refused user '" + user + "' (wrong password, unknown user, or locked out after"
                    + " repeated failures)";
        }
        if (pki != null && !rejectedBefore.containsAll(listing(pki.rejectedDir()))) {
            return "this client does not trust the server's certificate yet; it was saved in " + pki.rejectedDir()
                    + ": if it is the WellWatch server's, move it to " + pki.trustedCertsDir() + " and run again";
        }
        if (pki != null && (status == StatusCodes.Bad_SecurityChecksFailed || status == StatusCodes.Bad_CertificateUntrusted)) {
            return "the server refused this client's certificate (" + pki.ownCertificateFile()
                    + "): on the server, move it from its PKI's rejected/ to trusted/certs/ and run again";
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private static void closeQuietly(ApplicationPki pki) {
        if (pki != null) {
            pki.close();
        }
    }

    private static long statusOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UaException ua) {
                return ua.getStatusCode().getValue();
            }
        }
        return StatusCodes.Good;
    }

    private static Set<Path> listing(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.collect(Collectors.toSet());
        } catch (IOException e) {
            return Set.of();
        }
    }
}
