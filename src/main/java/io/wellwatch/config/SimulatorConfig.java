package io.wellwatch.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * The embedded PLC stand-in of the demo (absent in production configs).
 *
 * @param bindAddress address to listen on, default 127.0.0.1
 * @param port        TCP port, default 4841
 * @param path        endpoint path, default /plc
 * @param speedUp     replay speed relative to the recording (1 = real time), default 25
 * @param wells       one replayed CSV per well
 */
public record SimulatorConfig(String bindAddress, int port, String path, double speedUp, List<SimWellConfig> wells) {

    /** Namespace URI of the simulator's tags; configs address them as {@code nsu=urn:wellwatch:simulator;s=WELL/TAG}. */
    public static final String NAMESPACE_URI = "urn:wellwatch:simulator";

    @JsonCreator
    public static SimulatorConfig of(
            @JsonProperty("bindAddress") String bindAddress,
            @JsonProperty("port") Integer port,
            @JsonProperty("path") String path,
            @JsonProperty("speedUp") Double speedUp,
            @JsonProperty(value = "wells", required = true) List<SimWellConfig> wells) {
        return new SimulatorConfig(
                bindAddress == null ? "127.0.0.1" : bindAddress,
                port == null ? 4841 : port,
                path == null ? "/plc" : path,
                speedUp == null ? 25.0 : speedUp,
                wells == null ? List.of() : List.copyOf(wells));
    }

    public String endpointUrl() {
        return "opc.tcp://" + bindAddress + ":" + port + path;
    }

    public SimulatorConfig withSpeedUp(double newSpeedUp) {
        return new SimulatorConfig(bindAddress, port, path, newSpeedUp, wells);
    }

    public SimulatorConfig withPort(int newPort) {
        return new SimulatorConfig(bindAddress, newPort, path, speedUp, wells);
    }
}
