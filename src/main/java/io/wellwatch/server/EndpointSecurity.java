package io.wellwatch.server;

import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;

import io.wellwatch.config.ServerConfig;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.IdentityValidator;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;

/**
 * Which endpoints the server offers and who may open a session: the one place to change when
 * secured endpoints and user accounts arrive. Today: one opc.tcp endpoint, SecurityPolicy None,
 * anonymous sessions only.
 */
final class EndpointSecurity {

    private final ServerConfig config;

    EndpointSecurity(ServerConfig config) {
        this.config = config;
    }

    Set<EndpointConfig> endpoints(Supplier<X509Certificate> certificate) {
        EndpointConfig.Builder base = EndpointConfig.newBuilder()
                .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
                .setBindAddress(config.bindAddress())
                .setBindPort(config.port())
                .setHostname(config.hostname())
                .setPath(config.path())
                .setCertificate(certificate)
                .addTokenPolicies(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS);

        Set<EndpointConfig> endpoints = new LinkedHashSet<>();
        endpoints.add(base.copy()
                .setSecurityPolicy(SecurityPolicy.None)
                .setSecurityMode(MessageSecurityMode.None)
                .build());
        return endpoints;
    }

    IdentityValidator identityValidator() {
        return AnonymousIdentityValidator.INSTANCE;
    }

    /** Host names and addresses the application certificate should name. */
    Set<String> certificateHostnames() {
        Set<String> names = new LinkedHashSet<>();
        names.add(config.hostname());
        names.add(config.bindAddress());
        names.add("localhost");
        names.add("127.0.0.1");
        return names;
    }
}
