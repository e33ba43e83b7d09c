package io.wellwatch.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.wellwatch.config.MetricsConfig;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves a registry in the Prometheus text format at {@code http://<host>:<port>/metrics} with the
 * Prometheus client's own HTTP server, on one daemon thread (a scrape is small and rare).
 */
public final class MetricsEndpoint implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(MetricsEndpoint.class);

    private final HTTPServer server;
    private final String url;

    private MetricsEndpoint(HTTPServer server, String url) {
        this.server = server;
        this.url = url;
    }

    /** @throws IOException when the port cannot be bound */
    public static MetricsEndpoint start(MetricsConfig config, PrometheusRegistry registry) throws IOException {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "wellwatch-metrics");
            t.setDaemon(true);
            return t;
        });
        HTTPServer server;
        try {
            server = HTTPServer.builder()
                    .inetAddress(InetAddress.getByName(config.host()))
                    .port(config.port())
                    .registry(registry)
                    .executorService(executor)
                    .buildAndStart();
        } catch (IOException e) {
            executor.shutdownNow();
            throw new IOException("cannot serve metrics on " + config.host() + ":" + config.port()
                    + " (metrics.port in the config): " + e.getMessage(), e);
        }
        String url = "http://" + config.host() + ":" + server.getPort() + "/metrics";
        if (!InetAddress.getByName(config.host()).isLoopbackAddress()) {
            LOG.warn("Metrics endpoint {} is not on a loopback address: anyone who reaches it can read it", url);
        }
        LOG.info("Metrics (Prometheus text format) at {}", url);
        return new MetricsEndpoint(server, url);
    }

    public String url() {
        return url;
    }

    @Override
    public void close() {
        server.close();
    }
}
