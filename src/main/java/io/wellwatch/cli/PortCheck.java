package io.wellwatch.cli;

import io.wellwatch.config.ServerConfig;
import io.wellwatch.config.WellConfig;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Tells the user plainly when a port is taken, before a server library buries it in a stack trace. */
final class PortCheck {

    private PortCheck() {
    }

    static void requireFree(String host, int port, String who) {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("cannot listen for " + who + " on '" + host
                    + "': not an address or a known host name (bindAddress in the config)");
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(address, port));
        } catch (java.net.BindException e) {
            if (!"Address already in use".equals(e.getMessage())) {
                throw new IllegalStateException("cannot listen for " + who + " on " + host + ":" + port
                        + " (" + e.getMessage() + "); is " + host + " an address of this machine? (bindAddress in the config)");
            }
            throw new IllegalStateException("port " + port + " on " + host + " is not available for " + who
                    + " (" + e.getMessage() + "); is another WellWatch already running? Stop it or choose another port.");
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " on " + host + " is not available for " + who
                    + " (" + e.getMessage() + "); is another WellWatch already running? Stop it or choose another port.");
        }
    }

    /**
     * Refuses a well whose PLC endpoint is WellWatch's own (e.g. {@code serve --config config/demo.yaml
     * --port 4841}): the upstream client would dial this very server and log a refusal every few seconds.
     */
    static void requireNotOwnEndpoint(ServerConfig server, List<WellConfig> wells) {
        Set<String> ownHosts = new HashSet<>(List.of("127.0.0.1", "localhost", "0.0.0.0", server.bindAddress(), server.hostname()));
        for (WellConfig well : wells) {
            URI uri;
            try {
                uri = new URI(well.endpoint());
            } catch (URISyntaxException e) {
                continue; // the config check has named it already
            }
            int port = uri.getPort() < 0 ? 4840 : uri.getPort();
            if (uri.getHost() != null && ownHosts.contains(uri.getHost()) && port == server.port()) {
                throw new IllegalStateException("well " + well.id() + ": its PLC endpoint " + well.endpoint()
                        + " is WellWatch's own port " + port + " (server.port in the config, or --port); choose another port");
            }
        }
    }
}
