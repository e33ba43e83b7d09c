package io.wellwatch.cli;

import io.wellwatch.config.ConfigLoader;
import io.wellwatch.config.ServerConfig;
import io.wellwatch.config.WellConfig;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PortCheckTest {

    @Test
    void aTakenPortAndABadBindAddressAreToldApart() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> PortCheck.requireFree("127.0.0.1", taken.getLocalPort(), "WellWatch"))
                    .hasMessageContaining("is another WellWatch already running?");
        }
        assertThatThrownBy(() -> PortCheck.requireFree("999.1.1.1", 47999, "WellWatch"))
                .hasMessageContaining("'999.1.1.1': not an address or a known host name")
                .hasMessageNotContaining("already running");
    }

    @Test
    void aWellWhosePlcEndpointIsWellWatchsOwnPortIsRefused() throws Exception {
        ServerConfig server = new ServerConfig("127.0.0.1", 4841, "/wellwatch", "127.0.0.1");
        WellConfig well = ConfigLoader.parse("""
                wells:
                  - id: WELL-1
                    endpoint: opc.tcp://127.0.0.1:4841/plc
                    sensors: [ { name: P-TPT, nodeId: "ns=2;s=P-TPT" } ]
                """, "test.yaml", Path.of(".")).wells().get(0);

        assertThatThrownBy(() -> PortCheck.requireNotOwnEndpoint(server, List.of(well)))
                .hasMessage("well WELL-1: its PLC endpoint opc.tcp://127.0.0.1:4841/plc is WellWatch's own port 4841"
                        + " (server.port in the config, or --port); choose another port");
        assertThatCode(() -> PortCheck.requireNotOwnEndpoint(server.withPort(4840), List.of(well))).doesNotThrowAnyException();
    }
}
