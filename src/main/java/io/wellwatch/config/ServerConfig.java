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
 */
public record ServerConfig(String bindAddress, int port, String path, String hostname) {

    public static final ServerConfig DEFAULT = new ServerConfig("127.0.0.1", 4840, "/wellwatch", "127.0.0.1");

    @JsonCreator
    public static ServerConfig of(
            @JsonProperty("bindAddress") String bindAddress,
            @JsonProperty("port") Integer port,
            @JsonProperty("path") String path,
            @JsonProperty("hostname") String hostname) {
        String bind = bindAddress == null ? DEFAULT.bindAddress : bindAddress;
        return new ServerConfig(bind,
                port == null ? DEFAULT.port : port,
                path == null ? DEFAULT.path : path,
                hostname == null ? bind : hostname);
    }

    public String endpointUrl() {
        return "opc.tcp://" + hostname + ":" + port + path;
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(bindAddress, newPort, path, hostname);
    }
}
