package io.wellwatch.security;

import io.wellwatch.config.ConfigLoader;
import io.wellwatch.fault.LogCapture;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped configs: the demo's open endpoint is warned about at every start; production's is not
 * open, and as shipped (no users yet) it says that nobody can log in.
 */
class OpenEndpointWarningTest {

    private static final String URL = "opc.tcp://127.0.0.1:4840/wellwatch";

    @Test
    void theDemoConfigWarnsOfSecurityPolicyNoneAndAnonymousLogin() throws Exception {
        try (LogCapture log = new LogCapture(EndpointSecurity.class.getName())) {
            new EndpointSecurity(ConfigLoader.load(Path.of("config/demo.yaml")).security()).warnIfOpen(URL);
            assertThat(log.lines()).anySatisfy(l -> assertThat(l).startsWith("WARN " + URL + ": SecurityPolicy None is ON"));
            assertThat(log.lines()).anySatisfy(l -> assertThat(l).startsWith("WARN " + URL + ": anonymous login is ON"));
        }
    }

    @Test
    void theProductionConfigIsNotOpenAndSaysWhenNobodyCanLogIn() throws Exception {
        try (LogCapture log = new LogCapture(EndpointSecurity.class.getName())) {
            new EndpointSecurity(ConfigLoader.load(Path.of("config/production.yaml")).security()).warnIfOpen(URL);
            assertThat(log.lines()).noneSatisfy(l -> assertThat(l).contains(" is ON"));
            assertThat(log.lines()).containsExactly("WARN " + URL
                    + ": no users configured and anonymous login off: nobody can log in (see README, Security)");
        }
    }
}
