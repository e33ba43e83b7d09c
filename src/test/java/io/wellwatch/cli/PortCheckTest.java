package io.wellwatch.cli;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;

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
}
