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
 */
public record AppConfig(ServerConfig server, StorageConfig storage, List<WellConfig> wells, SimulatorConfig simulator) {

    @JsonCreator
    public static AppConfig of(
            @JsonProperty("server") ServerConfig server,
            @JsonProperty("storage") StorageConfig storage,
            @JsonProperty(value = "wells", required = true) List<WellConfig> wells,
            @JsonProperty("simulator") SimulatorConfig simulator) {
        return new AppConfig(
                server == null ? ServerConfig.DEFAULT : server,
                storage == null ? StorageConfig.DEFAULT : storage,
                wells == null ? List.of() : List.copyOf(wells),
                simulator);
    }

    public AppConfig withServer(ServerConfig s) {
        return new AppConfig(s, storage, wells, simulator);
    }

    public AppConfig withStorage(StorageConfig s) {
        return new AppConfig(server, s, wells, simulator);
    }

    public AppConfig withSimulator(SimulatorConfig s) {
        return new AppConfig(server, storage, wells, s);
    }

    public AppConfig withWells(List<WellConfig> w) {
        return new AppConfig(server, storage, w, simulator);
    }
}
