package io.wellwatch.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An application instance certificate issued by plant IT, used as is (never rewritten).
 *
 * @param keyStore PKCS#12 file (.pfx / .p12) holding the private key and the certificate chain; required
 * @param password password of the key store and of the key, default empty
 * @param alias    entry to use, default: the first entry with a private key
 */
public record CertificateConfig(String keyStore, String password, String alias) {

    @JsonCreator
    public static CertificateConfig of(
            @JsonProperty(value = "keyStore", required = true) String keyStore,
            @JsonProperty("password") String password,
            @JsonProperty("alias") String alias) {
        return new CertificateConfig(keyStore, password == null ? "" : password, alias);
    }

    @Override
    public String toString() {
        return "CertificateConfig[keyStore=" + keyStore + ", alias=" + alias + "]";
    }
}
