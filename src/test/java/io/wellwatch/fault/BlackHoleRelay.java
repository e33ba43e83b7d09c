package io.wellwatch.fault;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP relay between a client and a server that can fail the way a pulled cable does.
 *
 * <p>It accepts on 127.0.0.1 (a free port) and forwards bytes both ways to {@code target}.
 * {@link #blackHole()} makes it go silent: nothing is forwarded or read any more, in either
 * direction, but no socket is closed, so neither side gets a FIN or RST; connections opened while
 * black-holed are accepted (the kernel completes the handshake anyway) and then get no answer, like
 * a dead peer behind a switch that still answers for it. {@link #restore()} closes every connection
 * that was stalled (both sides then see the close, as when a link comes back and the stale
 * connection is reset) and forwards new connections again.
 */
final class BlackHoleRelay implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(BlackHoleRelay.class);
    /** How often a pump looks at the black-hole switch while it waits for bytes. */
    private static final int POLL_MS = 20;
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final Thread acceptor;
    private final Object lock = new Object();

    // guarded by lock
    private final List<Connection> connections = new ArrayList<>();
    private boolean blackHoled;
    private boolean closed;
    private int accepted;

    BlackHoleRelay(int targetPort) throws IOException {
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "relay-accept-" + THREAD_IDS.incrementAndGet());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Connections accepted so far (forwarded or stalled). */
    int accepted() {
        synchronized (lock) {
            return accepted;
        }
    }

    /** Stops forwarding and reading on every connection, present and future; closes nothing. */
    void blackHole() {
        synchronized (lock) {
            blackHoled = true;
        }
        LOG.info("relay :{} -> :{}: black hole (connections kept open, nothing forwarded)", port(), target.getPort());
    }

    /** Closes the stalled connections and forwards new ones again. */
    void restore() {
        List<Connection> stalled;
        synchronized (lock) {
            blackHoled = false;
            stalled = new ArrayList<>(connections);
            connections.clear();
            stalled.forEach(c -> c.ended = true);
            lock.notifyAll();
        }
        stalled.forEach(Connection::close);
        LOG.info("relay :{} -> :{}: restored ({} stalled connection(s) closed)", port(), target.getPort(), stalled.size());
    }

    @Override
    public void close() {
        List<Connection> all;
        synchronized (lock) {
            closed = true;
            all = new ArrayList<>(connections);
            connections.clear();
            all.forEach(c -> c.ended = true);
            lock.notifyAll();
        }
        closeQuietly(listener);
        all.forEach(Connection::close);
        acceptor.interrupt();
    }

    private boolean isBlackHoled() {
        synchronized (lock) {
            return blackHoled;
        }
    }

    private void acceptLoop() {
        while (true) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            Connection c = new Connection(client);
            boolean stall;
            synchronized (lock) {
                if (closed) {
                    c.close();
                    return;
                }
                accepted++;
                connections.add(c);
                stall = blackHoled;
            }
            if (stall) {
                continue; // accepted, never read, never answered, never closed until restore()
            }
            try {
                c.open();
            } catch (IOException e) {
                LOG.debug("relay: cannot reach {}: {}", target, e.toString());
                c.close();
            }
        }
    }

    /** One client connection and, once forwarded, its connection to the target. */
    private final class Connection {
        private final Socket client;
        private volatile Socket server;
        /** Set under lock by restore() and close(): the connection is being closed, forward nothing more. */
        private boolean ended;

        Connection(Socket client) {
            this.client = client;
        }

        void open() throws IOException {
            Socket s = new Socket();
            s.connect(target, 2000);
            server = s;
            client.setSoTimeout(POLL_MS);
            s.setSoTimeout(POLL_MS);
            client.setTcpNoDelay(true);
            s.setTcpNoDelay(true);
            pump(client, s, "up");
            pump(s, client, "down");
        }

        private void pump(Socket from, Socket to, String direction) {
            Thread t = new Thread(() -> {
                byte[] buffer = new byte[16 * 1024];
                try {
                    InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream();
                    while (true) {
                        if (isBlackHoled() && !awaitRestoreOrClose()) {
                            return;
                        }
                        int n;
                        try {
                            n = in.read(buffer);
                        } catch (SocketTimeoutException e) {
                            continue; // look at the switch again
                        }
                        if (n < 0) {
                            close(); // a clean close on one side is passed on
                            return;
                        }
                        if (isBlackHoled()) {
                            continue; // the cable went while these bytes were on it: lost
                        }
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                } catch (IOException e) {
                    close();
                }
            }, "relay-" + direction + "-" + THREAD_IDS.incrementAndGet());
            t.setDaemon(true);
            t.start();
        }

        /**
         * Parks a pump while black-holed, reading nothing. Returns false when the connection is to
         * end: restore() and close() close every connection that saw the black hole.
         */
        private boolean awaitRestoreOrClose() {
            synchronized (lock) {
                while (blackHoled && !closed && !ended) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
                return !ended && !closed;
            }
        }

        void close() {
            closeQuietly(client);
            Socket s = server;
            if (s != null) {
                closeQuietly(s);
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing anyway
        }
    }
}
