package io.wellwatch.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The WellWatch OPC UA server endpoint.
 *
 * @param bindAddress address to listen on, default 127.0.0.1
 * @param port        TCP port, default 4840
 * @param path        endpoint path, default /wellwatch
 * @param hostname    host name advertised in the endpoint URL, default: the bind address
 * @param limits      what clients may ask of the server, {@link ServerLimits#DEFAULT} when omitted
 */
public record ServerConfig(String bindAddress, int port, String path, String hostname, ServerLimits limits) {

    public static final ServerConfig DEFAULT = new ServerConfig("127.0.0.1", 4840, "/wellwatch", "127.0.0.1");

    public ServerConfig(String bindAddress, int port, String path, String hostname) {
        this(bindAddress, port, path, hostname, ServerLimits.DEFAULT);
    }

    @JsonCreator
    public static ServerConfig of(
            @JsonProperty("bindAddress") String bindAddress,
            @JsonProperty("port") Integer port,
            @JsonProperty("path") String path,
            @JsonProperty("hostname") String hostname,
            @JsonProperty("limits") ServerLimits limits) {
        String bind = bindAddress == null ? DEFAULT.bindAddress : bindAddress;
        return new ServerConfig(bind,
                port == null ? DEFAULT.port : port,
                path == null ? DEFAULT.path : path,
                hostname == null ? bind : hostname,
                limits == null ? ServerLimits.DEFAULT : limits);
    }

    /** Without limits: {@link ServerLimits#DEFAULT}. */
    public static ServerConfig of(String bindAddress, Integer port, String path, String hostname) {
        return of(bindAddress, port, path, hostname, null);
    }

    public String endpointUrl() {
        return "opc.tcp://" + hostname + ":" + port + path;
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(bindAddress, newPort, path, hostname, limits);
    }

    public ServerConfig withLimits(ServerLimits newLimits) {
        return new ServerConfig(bindAddress, port, path, hostname, newLimits);
    }
}
