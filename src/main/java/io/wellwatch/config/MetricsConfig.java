package io.wellwatch.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The Prometheus metrics endpoint, {@code http://<host>:<port>/metrics}. Off when no port is given.
 *
 * @param host address to listen on, default 127.0.0.1 (loopback: scrape it through a local agent)
 * @param port TCP port, 0 = off (the default)
 */
public record MetricsConfig(String host, int port) {

    public static final MetricsConfig OFF = new MetricsConfig("127.0.0.1", 0);

    @JsonCreator
    public static MetricsConfig of(@JsonProperty("host") String host, @JsonProperty("port") Integer port) {
        return new MetricsConfig(host == null ? OFF.host : host, port == null ? 0 : port);
    }

    public boolean enabled() {
        return port > 0;
    }
}
