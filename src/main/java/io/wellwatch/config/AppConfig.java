package io.wellwatch.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * The whole configuration file.
 *
 * @param server    the WellWatch OPC UA server endpoint
 * @param storage   where models are kept
 * @param wells     the monitored wells, at least one
 * @param simulator the embedded PLC stand-in (demo only; null in production)
 * @param history   the history store behind HistoryRead
 * @param security  endpoints, users and roles, PKI, and the PLC connections' security
 * @param metrics   the Prometheus metrics endpoint (off unless a port is given)
 * @param upstream  how the PLC connections notice a silent PLC (keep-alive)
 */
public record AppConfig(ServerConfig server, StorageConfig storage, List<WellConfig> wells, SimulatorConfig simulator,
                        HistoryConfig history, SecurityConfig security, MetricsConfig metrics, UpstreamConfig upstream) {

    @JsonCreator
    public static AppConfig of(
            @JsonProperty("server") ServerConfig server,
            @JsonProperty("storage") StorageConfig storage,
            @JsonProperty(value = "wells", required = true) List<WellConfig> wells,
            @JsonProperty("simulator") SimulatorConfig simulator,
            @JsonProperty("history") HistoryConfig history,
            @JsonProperty("security") SecurityConfig security,
            @JsonProperty("metrics") MetricsConfig metrics,
            @JsonProperty("upstream") UpstreamConfig upstream) {
        return new AppConfig(
                server == null ? ServerConfig.DEFAULT : server,
                storage == null ? StorageConfig.DEFAULT : storage,
                wells == null ? List.of() : List.copyOf(wells),
                simulator,
                history == null ? HistoryConfig.DEFAULT : history,
                security == null ? SecurityConfig.DEFAULT : security,
                metrics == null ? MetricsConfig.OFF : metrics,
                upstream == null ? UpstreamConfig.DEFAULT : upstream);
    }

    /** Without an upstream section: {@link UpstreamConfig#DEFAULT}. */
    public static AppConfig of(ServerConfig server, StorageConfig storage, List<WellConfig> wells,
                               SimulatorConfig simulator, HistoryConfig history, SecurityConfig security,
                               MetricsConfig metrics) {
        return of(server, storage, wells, simulator, history, security, metrics, null);
    }

    /** Without security and metrics sections: {@link SecurityConfig#DEFAULT} (secured endpoints only, no anonymous), metrics off. */
    public static AppConfig of(ServerConfig server, StorageConfig storage, List<WellConfig> wells,
                               SimulatorConfig simulator, HistoryConfig history) {
        return of(server, storage, wells, simulator, history, null, null, null);
    }

    /** Without a history section: {@link HistoryConfig#DEFAULT}. */
    public static AppConfig of(ServerConfig server, StorageConfig storage, List<WellConfig> wells,
                               SimulatorConfig simulator) {
        return of(server, storage, wells, simulator, null, null, null, null);
    }

    public AppConfig withServer(ServerConfig s) {
        return new AppConfig(s, storage, wells, simulator, history, security, metrics, upstream);
    }

    public AppConfig withStorage(StorageConfig s) {
        return new AppConfig(server, s, wells, simulator, history, security, metrics, upstream);
    }

    public AppConfig withSimulator(SimulatorConfig s) {
        return new AppConfig(server, storage, wells, s, history, security, metrics, upstream);
    }

    public AppConfig withWells(List<WellConfig> w) {
        return new AppConfig(server, storage, w, simulator, history, security, metrics, upstream);
    }

    public AppConfig withHistory(HistoryConfig h) {
        return new AppConfig(server, storage, wells, simulator, h, security, metrics, upstream);
    }

    public AppConfig withSecurity(SecurityConfig s) {
        return new AppConfig(server, storage, wells, simulator, history, s, metrics, upstream);
    }

    public AppConfig withMetrics(MetricsConfig m) {
        return new AppConfig(server, storage, wells, simulator, history, security, m, upstream);
    }

    public AppConfig withUpstream(UpstreamConfig u) {
        return new AppConfig(server, storage, wells, simulator, history, security, metrics, u);
    }
}
