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
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " on " + host + " is not available for " + who
                    + " (" + e.getMessage() + "); is another WellWatch already running? Stop it or choose another port.");
        }
    }
}
