package io.wellwatch.upstream;

import io.wellwatch.config.UpstreamConfig;
import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfig;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfigBuilder;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;
import org.eclipse.milo.opcua.stack.transport.client.tcp.OpcTcpClientTransportConfigBuilder;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * Creates (does not connect) a Milo client for one server: discovers its endpoints, lets
 * {@link UpstreamSecurity} pick the one to use and add identity and certificate. Shared by the
 * PLC connections and the {@code history} command, so both pick endpoints by the same rule.
 */
public final class SecuredClient {

    private SecuredClient() {
    }

    /**
     * @param timeoutSeconds bound on discovery, on the TCP connect (5 s at most) and on each request
     * @throws IllegalStateException when the server offers no endpoint that {@code security} accepts
     */
    public static OpcUaClient create(String endpointUrl, UpstreamSecurity security, String applicationName,
                                     String applicationUri, long timeoutSeconds) throws Exception {
        return create(endpointUrl, security, applicationName, applicationUri, timeoutSeconds, null);
    }

    /**
     * @param keepAlive the session keep-alive that notices a server gone silent; null: Milo's
     *                  defaults (fine for a short-lived command, too slow for a PLC connection)
     * @see #create(String, UpstreamSecurity, String, String, long)
     */
    public static OpcUaClient create(String endpointUrl, UpstreamSecurity security, String applicationName,
                                     String applicationUri, long timeoutSeconds, UpstreamConfig keepAlive)
            throws Exception {
        Consumer<OpcTcpClientTransportConfigBuilder> transport =
                t -> t.setConnectTimeout(uint(TimeUnit.SECONDS.toMillis(Math.min(5, timeoutSeconds))));
        List<EndpointDescription> endpoints =
                DiscoveryClient.getEndpoints(endpointUrl, transport).get(timeoutSeconds, TimeUnit.SECONDS);
        EndpointDescription chosen = security.selectEndpoint(endpoints).orElseThrow(() -> new IllegalStateException(
                "no endpoint matching " + security.describe() + " among the " + endpoints.size() + " offered ("
                        + offered(endpoints) + ")"));
        // The server may advertise a host name we cannot resolve or reach; keep the given address.
        chosen = EndpointUtil.updateUrl(chosen, EndpointUtil.getHost(endpointUrl), EndpointUtil.getPort(endpointUrl));

        OpcUaClientConfigBuilder builder = OpcUaClientConfig.builder()
                .setEndpoint(chosen)
                .setDiscoveryEndpoints(endpoints)
                .setApplicationName(LocalizedText.english(applicationName))
                .setApplicationUri(applicationUri)
                .setProductUri("urn:wellwatch")
                .setRequestTimeout(uint(TimeUnit.SECONDS.toMillis(timeoutSeconds)));
        if (keepAlive != null) {
            builder.setKeepAliveInterval(uint(keepAlive.keepAliveIntervalMs()))
                    .setKeepAliveTimeout(uint(keepAlive.keepAliveTimeoutMs()))
                    .setKeepAliveFailuresAllowed(uint(keepAlive.keepAliveFailuresAllowed()));
        }
        security.configure(builder);
        return OpcUaClient.create(builder.build(), transport);
    }

    /** "Basic256Sha256/SignAndEncrypt, None/None" for an error message. */
    private static String offered(List<EndpointDescription> endpoints) {
        return String.join(", ", endpoints.stream()
                .map(e -> e.getSecurityPolicyUri().substring(e.getSecurityPolicyUri().lastIndexOf('#') + 1)
                        + "/" + e.getSecurityMode())
                .distinct().toList());
    }
}
