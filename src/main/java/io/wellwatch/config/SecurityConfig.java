package io.wellwatch.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * Who may connect to WellWatch and how (the {@code security:} section), and how WellWatch itself
 * connects to the PLCs ({@code upstream}). Without the section everything is locked down:
 * secured endpoints only, no anonymous sessions.
 *
 * @param pkiDir                  the application's PKI (own, trusted, issuers, rejected, user), default {@code certs}
 * @param allowSecurityPolicyNone offer an unsecured endpoint (local demo only; logged as a warning), default false
 * @param allowAnonymous          accept anonymous sessions (local demo only; logged as a warning), default false
 * @param anonymousRole           the role of anonymous sessions when allowed, default viewer
 * @param securityPolicies        secured endpoints offered, default Basic256Sha256, Aes128_Sha256_RsaOaep, Aes256_Sha256_RsaPss
 * @param securityModes           message security modes of those endpoints, default Sign and SignAndEncrypt
 * @param certificate             the application instance certificate to use as is; null: created in pkiDir/own on first start
 * @param users                   user accounts (password and/or X.509 certificate login)
 * @param upstream                how the PLC connections are secured
 * @param lockout                 how password guessing is slowed
 */
public record SecurityConfig(String pkiDir, boolean allowSecurityPolicyNone, boolean allowAnonymous,
                             UserConfig.Role anonymousRole, List<String> securityPolicies, List<String> securityModes,
                             CertificateConfig certificate, List<UserConfig> users, UpstreamSecurityConfig upstream,
                             LockoutConfig lockout) {

    public static final List<String> DEFAULT_POLICIES =
            List.of("Basic256Sha256", "Aes128_Sha256_RsaOaep", "Aes256_Sha256_RsaPss");
    public static final List<String> DEFAULT_MODES = List.of("Sign", "SignAndEncrypt");

    /** What a config without a {@code security:} section gets: secured endpoints only, no anonymous sessions, no users. */
    public static final SecurityConfig DEFAULT = new SecurityConfig("certs", false, false, UserConfig.Role.VIEWER,
            DEFAULT_POLICIES, DEFAULT_MODES, null, List.of(), UpstreamSecurityConfig.NONE, LockoutConfig.DEFAULT);

    /**
     * A local demo: the secured endpoints plus SecurityPolicy None, and anonymous sessions with the
     * operator role (acknowledge, retrain) — what {@code config/demo.yaml} says, and what servers
     * built without a security setting (tests) use.
     */
    public static final SecurityConfig LOCAL_DEMO = new SecurityConfig("certs", true, true, UserConfig.Role.OPERATOR,
            DEFAULT_POLICIES, DEFAULT_MODES, null, List.of(), UpstreamSecurityConfig.NONE, LockoutConfig.DEFAULT);

    @JsonCreator
    public static SecurityConfig of(
            @JsonProperty("pkiDir") String pkiDir,
            @JsonProperty("allowSecurityPolicyNone") Boolean allowSecurityPolicyNone,
            @JsonProperty("allowAnonymous") Boolean allowAnonymous,
            @JsonProperty("anonymousRole") UserConfig.Role anonymousRole,
            @JsonProperty("securityPolicies") List<String> securityPolicies,
            @JsonProperty("securityModes") List<String> securityModes,
            @JsonProperty("certificate") CertificateConfig certificate,
            @JsonProperty("users") List<UserConfig> users,
            @JsonProperty("upstream") UpstreamSecurityConfig upstream,
            @JsonProperty("lockout") LockoutConfig lockout) {
        return new SecurityConfig(
                pkiDir == null ? DEFAULT.pkiDir : pkiDir,
                allowSecurityPolicyNone != null && allowSecurityPolicyNone,
                allowAnonymous != null && allowAnonymous,
                anonymousRole == null ? DEFAULT.anonymousRole : anonymousRole,
                securityPolicies == null ? DEFAULT_POLICIES : List.copyOf(securityPolicies),
                securityModes == null ? DEFAULT_MODES : List.copyOf(securityModes),
                certificate,
                users == null ? List.of() : List.copyOf(users),
                upstream == null ? UpstreamSecurityConfig.NONE : upstream,
                lockout == null ? LockoutConfig.DEFAULT : lockout);
    }

    /** One line for the console banner: what is offered and what is open. */
    public String describe() {
        String open = (allowSecurityPolicyNone && allowAnonymous ? "; SecurityPolicy None ON" : "")
                + (allowAnonymous ? "; anonymous ON (" + anonymousRole.label() + ")" : "");
        return String.join(", ", securityPolicies) + " (" + String.join(", ", securityModes) + "); "
                + users.size() + " user(s)" + open + (open.isEmpty() ? "" : " - demo only");
    }

    public SecurityConfig withPkiDir(String dir) {
        return new SecurityConfig(dir, allowSecurityPolicyNone, allowAnonymous, anonymousRole, securityPolicies,
                securityModes, certificate, users, upstream, lockout);
    }

    public SecurityConfig withUsers(List<UserConfig> u) {
        return new SecurityConfig(pkiDir, allowSecurityPolicyNone, allowAnonymous, anonymousRole, securityPolicies,
                securityModes, certificate, List.copyOf(u), upstream, lockout);
    }

    public SecurityConfig withUpstream(UpstreamSecurityConfig u) {
        return new SecurityConfig(pkiDir, allowSecurityPolicyNone, allowAnonymous, anonymousRole, securityPolicies,
                securityModes, certificate, users, u, lockout);
    }

    public SecurityConfig withCertificate(CertificateConfig c) {
        return new SecurityConfig(pkiDir, allowSecurityPolicyNone, allowAnonymous, anonymousRole, securityPolicies,
                securityModes, c, users, upstream, lockout);
    }

    public SecurityConfig withLockout(LockoutConfig l) {
        return new SecurityConfig(pkiDir, allowSecurityPolicyNone, allowAnonymous, anonymousRole, securityPolicies,
                securityModes, certificate, users, upstream, l);
    }
}
