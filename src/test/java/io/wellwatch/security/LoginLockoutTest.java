package io.wellwatch.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

import io.wellwatch.config.LockoutConfig;
import io.wellwatch.config.SecurityConfig;
import io.wellwatch.config.ServerConfig;
import io.wellwatch.config.UserConfig;
import io.wellwatch.security.TestClients.Credentials;
import io.wellwatch.server.WellWatchServer;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Password guessing against a real server: after the configured number of failures (3 here, 5 by
 * default) even the right password is refused for a while.
 */
class LoginLockoutTest {

    @Test
    void repeatedWrongPasswordsLockTheUserOutAndTheLockoutIsAudited(@TempDir Path tmp) throws Exception {
        SecurityConfig security = SecurityConfig.DEFAULT.withPkiDir(tmp.toString()).withUsers(List.of(
                new UserConfig("otto", UserConfig.Role.OPERATOR, SecuredServerTest.hash("the-right-one"))))
                .withLockout(new LockoutConfig(3, 2, 60));
        Credentials hmi = Credentials.application("urn:wellwatch:test:hmi");
        try (WellWatchServer server = new WellWatchServer(
                new ServerConfig("127.0.0.1", SecuredServerTest.freePort(), "/wellwatch", "127.0.0.1"), security, tmp);
             AuditCapture audit = new AuditCapture()) {
            hmi.trustIn(server.pki().trustedCertsDir());
            server.start();
            X509Certificate serverCertificate = server.pki().certificate().orElseThrow();

            for (int i = 0; i < security.lockout().afterFailures(); i++) {
                String guess = "guess-" + i;
                assertThatThrownBy(() -> TestClients.connect(server.endpointUrl(), SecurityPolicy.Basic256Sha256,
                        MessageSecurityMode.SignAndEncrypt, hmi, "urn:wellwatch:test:hmi",
                        new UsernameProvider("otto", guess), serverCertificate)).isInstanceOf(UaException.class);
            }
            assertThatThrownBy(() -> TestClients.connect(server.endpointUrl(), SecurityPolicy.Basic256Sha256,
                    MessageSecurityMode.SignAndEncrypt, hmi, "urn:wellwatch:test:hmi",
                    new UsernameProvider("otto", "the-right-one"), serverCertificate))
                    .as("locked out: the right password is not even checked").isInstanceOf(UaException.class);

            assertThat(audit.lines()).filteredOn(l -> l.contains("wrong password")).hasSize(security.lockout().afterFailures());
            assertThat(audit.lines()).anySatisfy(l -> assertThat(l).contains("wrong password; locked out for 2 s"));
            assertThat(audit.lines()).anySatisfy(l -> assertThat(l)
                    .startsWith("WARN LOGIN REFUSED user=otto address=127.0.0.1 by=password reason=\"locked out for another"));
            assertThat(audit.lines()).noneSatisfy(l -> assertThat(l).contains("LOGIN ACCEPTED"));
        }
    }
}
