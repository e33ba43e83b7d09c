package io.wellwatch.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How WellWatch's client connects to the PLCs. With a policy other than None it signs (and
 * encrypts) with WellWatch's application instance certificate and accepts only PLC certificates
 * that are trusted in the PKI ({@code <pkiDir>/trusted/certs}); an untrusted one lands in
 * {@code <pkiDir>/rejected/}.
 *
 * @param securityPolicy None, Basic256Sha256, Aes128_Sha256_RsaOaep or Aes256_Sha256_RsaPss; default None
 * @param securityMode   None, Sign or SignAndEncrypt; default None with policy None, else SignAndEncrypt
 * @param username       user name for the PLC session; null: anonymous
 * @param password       that user's password (sent to the PLC, so kept in clear: protect the config file)
 */
public record UpstreamSecurityConfig(String securityPolicy, String securityMode, String username, String password) {

    public static final UpstreamSecurityConfig NONE = new UpstreamSecurityConfig("None", "None", null, null);

    @JsonCreator
    public static UpstreamSecurityConfig of(
            @JsonProperty("securityPolicy") String securityPolicy,
            @JsonProperty("securityMode") String securityMode,
            @JsonProperty("username") String username,
            @JsonProperty("password") String password) {
        String policy = securityPolicy == null ? "None" : securityPolicy;
        String mode = securityMode != null ? securityMode : policy.equals("None") ? "None" : "SignAndEncrypt";
        return new UpstreamSecurityConfig(policy, mode, username, password);
    }

    public boolean secured() {
        return !"None".equals(securityPolicy);
    }

    @Override
    public String toString() {
        return "UpstreamSecurityConfig[" + securityPolicy + ", " + securityMode + ", "
                + (username == null ? "anonymous" : "user " + username) + "]";
    }
}
