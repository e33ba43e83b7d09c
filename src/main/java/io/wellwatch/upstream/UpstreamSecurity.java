package io.wellwatch.upstream;

import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfigBuilder;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;

import java.util.List;
import java.util.Optional;

/**
 * How an {@link UpstreamConnection} secures its session: which of the server's endpoints it picks
 * and what it adds to the client configuration (identity, application certificate, trust).
 *
 * <p>Only {@link #none()} exists today. A signed / encrypted variant will pick an endpoint with the
 * wanted policy and mode, and set the key pair, certificate chain, certificate validator and
 * identity provider in {@link #configure}; the connection code does not change.
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

    /** The {@link #none()} implementation. */
    enum NoSecurity implements UpstreamSecurity {
        INSTANCE;

        @Override
        public Optional<EndpointDescription> selectEndpoint(List<EndpointDescription> endpoints) {
            return endpoints.stream()
                    .filter(e -> SecurityPolicy.None.getUri().equals(e.getSecurityPolicyUri()))
                    .filter(e -> e.getSecurityMode() == MessageSecurityMode.None)
                    .filter(e -> e.getEndpointUrl() != null && e.getEndpointUrl().startsWith("opc.tcp:"))
                    .findFirst();
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
}
