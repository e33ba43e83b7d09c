package io.wellwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import io.wellwatch.security.PasswordHash;
import org.junit.jupiter.api.Test;

/** The security section: secure defaults, the shipped configs, and one clear message per mistake. */
class SecurityConfigTest {

    private static final String WELLS = """
            wells:
              - id: WELL-1
                endpoint: opc.tcp://127.0.0.1:4841/plc
                sensors:
                  - { name: P-TPT, nodeId: "ns=2;s=P-TPT" }
            """;

    private static AppConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, "site.yaml", Path.of("."));
    }

    @Test
    void withoutASecuritySectionNothingIsOpen() throws Exception {
        SecurityConfig s = parse(WELLS).security();
        assertThat(s.allowSecurityPolicyNone()).isFalse();
        assertThat(s.allowAnonymous()).isFalse();
        assertThat(s.securityPolicies()).containsExactly("Basic256Sha256", "Aes128_Sha256_RsaOaep", "Aes256_Sha256_RsaPss");
        assertThat(s.securityModes()).containsExactly("Sign", "SignAndEncrypt");
        assertThat(s.upstream().secured()).isFalse();
        assertThat(s.pkiDir()).isEqualTo("certs");
    }

    @Test
    void theProductionConfigIsLockedDownAndOnlyTheDemoIsOpen() throws Exception {
        SecurityConfig production = ConfigLoader.load(Path.of("config/production.yaml")).security();
        assertThat(production.allowSecurityPolicyNone()).isFalse();
        assertThat(production.allowAnonymous()).isFalse();
        assertThat(production.upstream().securityPolicy()).isEqualTo("Basic256Sha256");
        assertThat(production.upstream().securityMode()).isEqualTo("SignAndEncrypt");

        SecurityConfig demo = ConfigLoader.load(Path.of("config/demo.yaml")).security();
        assertThat(demo.allowSecurityPolicyNone()).isTrue();
        assertThat(demo.allowAnonymous()).isTrue();
        assertThat(demo.anonymousRole()).isEqualTo(UserConfig.Role.OPERATOR);
    }

    @Test
    void usersWithRolesAndHashesAreRead() throws Exception {
        String hash = PasswordHash.create("a-good-password".toCharArray(), PasswordHash.MIN_ITERATIONS).format();
        SecurityConfig s = parse(WELLS + """
                security:
                  users:
                    - { name: ana, role: operator, passwordHash: "%s" }
                    - { name: scada-gw, role: viewer }
                """.formatted(hash)).security();
        assertThat(s.users()).extracting(UserConfig::name, UserConfig::role)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ana", UserConfig.Role.OPERATOR),
                        org.assertj.core.groups.Tuple.tuple("scada-gw", UserConfig.Role.VIEWER));
        assertThat(s.users().get(0).toString()).doesNotContain(hash);
    }

    @Test
    void eachMistakeIsOneMessageWithFileLineAndField() {
        String weak = PasswordHash.create("a-good-password".toCharArray(), 1000).format();
        assertThatThrownBy(() -> parse(WELLS + "security:\n  users:\n    - { name: ana, role: admin, passwordHash: x }\n"))
                .hasMessageContaining("site.yaml:8").hasMessageContaining("role must be 'viewer' or 'operator', got 'admin'");
        assertThatThrownBy(() -> parse(WELLS + "security:\n  users:\n    - { name: ana, role: viewer, passwordHash: secret }\n"))
                .hasMessageContaining("site.yaml:8: security.users[0].passwordHash: not a WellWatch password hash");
        assertThatThrownBy(() -> parse(WELLS + "security:\n  users:\n    - { name: ana, role: viewer, passwordHash: \"" + weak + "\" }\n"))
                .hasMessageContaining("security.users[0].passwordHash: only 1000 iterations");
        assertThatThrownBy(() -> parse(WELLS + "security:\n  users:\n    - { name: ana, role: viewer }\n    - { name: ana, role: operator }\n"))
                .hasMessageContaining("site.yaml:9: security.users[1].name: duplicate user 'ana' (first at line 8)");
        assertThatThrownBy(() -> parse(WELLS + "security:\n  securityPolicies: [Basic128Rsa15]\n"))
                .hasMessageContaining("security.securityPolicies[0]: 'Basic128Rsa15' is not offered");
        assertThatThrownBy(() -> parse(WELLS + "security:\n  securityModes: [None]\n"))
                .hasMessageContaining("security.securityModes[0]: must be Sign or SignAndEncrypt");
        assertThatThrownBy(() -> parse(WELLS + "security:\n  upstream: { securityPolicy: Basic256Sha256, securityMode: None }\n"))
                .hasMessageContaining("security.upstream.securityMode: securityMode None goes with securityPolicy None only");
        assertThatThrownBy(() -> parse(WELLS + "security:\n  upstream: { username: plc }\n"))
                .hasMessageContaining("security.upstream: username and password go together");
        assertThatThrownBy(() -> parse(WELLS + "security:\n  certificate: { keyStore: /nonexistent/wellwatch.pfx }\n"))
                .hasMessageContaining("security.certificate.keyStore: cannot read file '/nonexistent/wellwatch.pfx'");
        assertThatThrownBy(() -> parse(WELLS + "security:\n  lockout: { afterFailures: 0 }\n"))
                .hasMessageContaining("site.yaml:7: security.lockout.afterFailures: must be 1..1000, got 0");
        assertThatThrownBy(() -> parse(WELLS + "security:\n  lockout: { firstSeconds: 60, maxSeconds: 30 }\n"))
                .hasMessageContaining("security.lockout.maxSeconds: must be firstSeconds (60)..86400, got 30");
    }

    @Test
    void theLockoutIsConfigurableAndDefaultsToFiveFailuresOneSecondToFiveMinutes() throws Exception {
        assertThat(parse(WELLS).security().lockout()).isEqualTo(new LockoutConfig(5, 1, 300));
        assertThat(parse(WELLS + "security:\n  lockout: { afterFailures: 10, maxSeconds: 900 }\n").security().lockout())
                .isEqualTo(new LockoutConfig(10, 1, 900));
    }
}
