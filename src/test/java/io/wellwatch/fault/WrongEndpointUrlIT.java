package io.wellwatch.fault;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A client that dials the server with a wrong path (e.g. {@code opc.tcp://host:4840/} in an HMI)
 * is refused with Bad_TcpEndpointUrlInvalid; the server's console stays free of Milo's stack trace
 * (anyone on the network could repeat it at will), and the file log keeps the record.
 */
class WrongEndpointUrlIT {

    @TempDir
    Path work;

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aClientOnAWrongPathLeavesNoStackTraceOnTheConsole() throws Exception {
        int port = FaultRig.freePort();
        Path config = Files.writeString(work.resolve("wellwatch.yaml"),
                FaultRig.config(port, 0, FaultRig.freePort(), work.resolve("models"), null, 1000, ""));
        try (ServerProcess server = ServerProcess.start(work, config)) {
            int from = server.await(0, "WellWatch serving", 90_000).line();

            assertThatThrownBy(() -> OpcUaClient.create("opc.tcp://127.0.0.1:" + port + "/not-wellwatch").connect())
                    .hasMessageContaining("Bad_TcpEndpointUrlInvalid");

            Path fileLog = work.resolve("logs/wellwatch.log");
            long deadline = System.currentTimeMillis() + 10_000;
            while (!(Files.exists(fileLog) && Files.readString(fileLog).contains("unrecognized endpoint url"))
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertThat(Files.readString(fileLog)).contains("unrecognized endpoint url: opc.tcp://127.0.0.1:" + port
                    + "/not-wellwatch");
            assertThat(server.find(from, "^\\s+at |Exception caught|unrecognized endpoint url"))
                    .as("console after the refused client:%n%s", server.tail(20)).isNull();
        }
    }
}
