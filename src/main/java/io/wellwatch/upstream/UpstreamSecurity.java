package io.wellwatch.upstream;

import io.wellwatch.config.UpstreamSecurityConfig;
import io.wellwatch.security.ApplicationPki;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfigBuilder;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * How an {@link UpstreamConnection} secures its session: which of the server's endpoints it picks
 * and what it adds to the client configuration (identity, application certificate, trust).
 * {@link #none()} for an unsecured PLC, {@link #of} for the configured policy, mode and user.
 */
public interface UpstreamSecurity {

    /** The endpoint to open the session on, among those the server advertises; empty when none fits. */
    Optional<EndpointDescription> selectEndpoint(List<EndpointDescription> endpoints);

    /** Adds identity and certificate settings to the client configuration. */
    void configure(OpcUaClientConfigBuilder builder);

    /** Human-readable summary for logs. */
    String describe();

    /** SecurityPolicy None, MessageSecurityMode None, anonymous identity. */
    static UpstreamSecurity none() {
        return NoSecurity.INSTANCE;
    }

    /**
     * The configured security: with a policy other than None the session is signed (and
     * encrypted) with the application certificate of {@code pki}, and the PLC's certificate must
     * be trusted there; the user logs in with the configured name and password, else anonymously.
     *
     * @param applicationUri the URI the application certificate names (the client must present the same)
     */
    static UpstreamSecurity of(UpstreamSecurityConfig config, ApplicationPki pki, String applicationUri) {
        if (!config.secured()) {
            if (config.username() != null) {
                // Unless the PLC's token policy asks for encryption, the password then travels in clear.
                org.apache.logging.log4j.LogManager.getLogger(UpstreamSecurity.class).warn(
                        "security.upstream: user {} with SecurityPolicy None; the PLC password may travel unencrypted",
                        config.username());
            }
            return config.username() == null ? none() : new Secured(SecurityPolicy.None, MessageSecurityMode.None,
                    config.username(), config.password(), null, null);
        }
        return new Secured(SecurityPolicy.valueOf(config.securityPolicy()),
                MessageSecurityMode.valueOf(config.securityMode()), config.username(), config.password(), pki, applicationUri);
    }

    /** Picks the opc.tcp endpoint with the given policy and mode. */
    private static Optional<EndpointDescription> endpointWith(List<EndpointDescription> endpoints, SecurityPolicy policy,
                                                              MessageSecurityMode mode) {
        return endpoints.stream()
                .filter(e -> policy.getUri().equals(e.getSecurityPolicyUri()))
                .filter(e -> e.getSecurityMode() == mode)
                .filter(e -> e.getEndpointUrl() != null && e.getEndpointUrl().startsWith("opc.tcp:"))
                .findFirst();
    }

    /** The {@link #none()} implementation. */
    enum NoSecurity implements UpstreamSecurity {
        INSTANCE;

        @Override
        public Optional<EndpointDescription> selectEndpoint(List<EndpointDescription> endpoints) {
            return endpointWith(endpoints, SecurityPolicy.None, MessageSecurityMode.None);
        }

        @Override
        public void configure(OpcUaClientConfigBuilder builder) {
            builder.setIdentityProvider(AnonymousProvider.INSTANCE);
        }

        @Override
        public String describe() {
            return "SecurityPolicy None, anonymous";
        }
    }

    /** The {@link #of} implementation; {@code pki} is null for policy None. */
    record Secured(SecurityPolicy policy, MessageSecurityMode mode, String username, String password,
                   ApplicationPki pki, String applicationUri) implements UpstreamSecurity {

        @Override
        public Optional<EndpointDescription> selectEndpoint(List<EndpointDescription> endpoints) {
            return endpointWith(endpoints, policy, mode);
        }

        @Override
        public void configure(OpcUaClientConfigBuilder builder) {
            IdentityProvider identity = username == null ? AnonymousProvider.INSTANCE
                    : pki == null ? new UsernameProvider(username, password)
                    : new UsernameProvider(username, password, pki.peerServerValidator());
            builder.setIdentityProvider(identity);
            if (pki != null) {
                KeyPair keyPair = pki.keyPair().orElseThrow(() -> new IllegalStateException(
                        "no application certificate yet in " + pki.directory()));
                X509Certificate[] chain = pki.certificateChain().orElseThrow();
                builder.setApplicationUri(applicationUri)
                        .setKeyPair(keyPair)
                        .setCertificate(chain[0])
                        .setCertificateChain(chain)
                        .setCertificateValidator(pki.peerServerValidator());
            }
        }

        @Override
        public String describe() {
            return "SecurityPolicy " + policy.name() + ", " + mode + ", " + (username == null ? "anonymous" : "user " + username);
        }

        @Override
        public String toString() {
            return "UpstreamSecurity[" + describe() + "]";
        }
    }
}
