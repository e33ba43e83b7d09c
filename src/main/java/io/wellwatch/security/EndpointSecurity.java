package io.wellwatch.security;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.wellwatch.config.SecurityConfig;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.util.HostnameUtil;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;

/**
 * Which endpoints a server offers, from the {@code security:} settings: one opc.tcp endpoint per
 * configured SecurityPolicy and mode, each accepting user name and X.509 user tokens (plus
 * anonymous when allowed), and, when allowed, a SecurityPolicy None endpoint. The None endpoint
 * takes anonymous sessions only: a password never travels unencrypted.
 */
public final class EndpointSecurity {

    private static final Logger LOG = LogManager.getLogger(EndpointSecurity.class);

    private final SecurityConfig security;

    public EndpointSecurity(SecurityConfig security) {
        this.security = security;
    }

    /** The endpoints at {@code opc.tcp://hostname:port/path}, bound to {@code bindAddress}. */
    public Set<EndpointConfig> endpoints(String bindAddress, int port, String hostname, String path, ApplicationPki pki) {
        EndpointConfig.Builder base = EndpointConfig.newBuilder()
                .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
                .setBindAddress(bindAddress)
                .setBindPort(port)
                .setHostname(hostname)
                .setPath(path)
                .setCertificate(() -> pki.certificate().orElse(null));

        Set<EndpointConfig> endpoints = new LinkedHashSet<>();
        for (String policy : security.securityPolicies()) {
            for (String mode : security.securityModes()) {
                EndpointConfig.Builder secured = base.copy()
                        .setSecurityPolicy(SecurityPolicy.valueOf(policy))
                        .setSecurityMode(MessageSecurityMode.valueOf(mode))
                        .addTokenPolicies(OpcUaServerConfig.USER_TOKEN_POLICY_USERNAME,
                                OpcUaServerConfig.USER_TOKEN_POLICY_X509);
                if (security.allowAnonymous()) {
                    secured.addTokenPolicy(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS);
                }
                endpoints.add(secured.build());
            }
        }
        if (security.allowSecurityPolicyNone() && security.allowAnonymous()) {
            endpoints.add(base.copy()
                    .setSecurityPolicy(SecurityPolicy.None)
                    .setSecurityMode(MessageSecurityMode.None)
                    .addTokenPolicy(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS)
                    .build());
        }
        return endpoints;
    }

    /** Logs what is open that should not be on a plant network. */
    public void warnIfOpen(String endpointUrl) {
        if (security.allowSecurityPolicyNone() && security.allowAnonymous()) {
            LOG.warn("{}: SecurityPolicy None is ON (unsigned, unencrypted traffic): for a local demo only", endpointUrl);
        } else if (security.allowSecurityPolicyNone()) {
            LOG.warn("{}: allowSecurityPolicyNone is set but anonymous login is off; no None endpoint is offered"
                    + " (a password never travels unencrypted)", endpointUrl);
        }
        if (security.allowAnonymous()) {
            LOG.warn("{}: anonymous login is ON with role {}: for a local demo only", endpointUrl,
                    security.anonymousRole().label());
        }
        if (security.users().isEmpty() && !security.allowAnonymous()) {
            LOG.warn("{}: no users configured and anonymous login off: nobody can log in (see README, Security)", endpointUrl);
        }
    }

    /** Host names and addresses the application certificate should name (all local ones for a wildcard bind). */
    public static Set<String> certificateHostnames(String hostname, String bindAddress) {
        Set<String> names = new LinkedHashSet<>();
        names.add(hostname);
        if (bindAddress.equals("0.0.0.0") || bindAddress.equals("::")) {
            names.add(HostnameUtil.getHostname());
            names.addAll(HostnameUtil.getHostnames(bindAddress, true, false));
        } else {
            names.add(bindAddress);
        }
        names.addAll(List.of("localhost", "127.0.0.1"));
        return names;
    }
}
