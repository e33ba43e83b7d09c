package io.wellwatch.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * One user account. A user logs in with the password whose hash is given, or with an X.509 user
 * certificate that is trusted (in {@code <pkiDir>/user/trusted/certs}, or issued by a CA there)
 * and whose Subject CN is the user's name.
 *
 * @param name         login name (and the CN of the user's certificate); required
 * @param role         {@code viewer} (browse, read, subscribe, history) or {@code operator}
 *                     (also Acknowledge, AddComment, Enable/Disable, Retrain); required
 * @param passwordHash {@code $pbkdf2-sha256$...} from {@code wellwatch hash-password}; null: certificate login only
 */
public record UserConfig(String name, Role role, String passwordHash) {

    /** What a user may do; see the record's description. */
    public enum Role {
        VIEWER, OPERATOR;

        @JsonCreator
        public static Role parse(String text) {
            for (Role r : values()) {
                if (r.label().equals(text == null ? "" : text.trim().toLowerCase(Locale.ROOT))) {
                    return r;
                }
            }
            throw new IllegalArgumentException("role must be 'viewer' or 'operator', got '" + text + "'");
        }

        @JsonValue
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @JsonCreator
    public static UserConfig of(
            @JsonProperty(value = "name", required = true) String name,
            @JsonProperty(value = "role", required = true) Role role,
            @JsonProperty("passwordHash") String passwordHash) {
        return new UserConfig(name, role, passwordHash);
    }

    @Override
    public String toString() {
        return "UserConfig[name=" + name + ", role=" + role + ", password=" + (passwordHash == null ? "none" : "hashed") + "]";
    }
}
