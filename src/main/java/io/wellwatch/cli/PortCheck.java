package io.wellwatch.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

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
}
