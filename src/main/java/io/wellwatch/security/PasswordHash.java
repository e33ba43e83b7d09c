package io.wellwatch.security;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A salted, slow password hash as it is written in the config: PBKDF2 with HMAC-SHA256 from the
 * JDK, in the self-describing text form {@code $pbkdf2-sha256$i=<iterations>$<salt>$<hash>}
 * (salt and hash in Base64 without padding). The form carries its own parameters, so the
 * iteration count can be raised later without invalidating hashes already issued.
 *
 * @param iterations PBKDF2 iteration count
 * @param salt       random salt
 * @param hash       derived key
 */
public record PasswordHash(int iterations, byte[] salt, byte[] hash) {

    /** What {@code hash-password} uses: OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
    public static final int DEFAULT_ITERATIONS = 600_000;
    /** Fewer iterations than this are refused in a config: such hashes are cheap to brute-force offline. */
    public static final int MIN_ITERATIONS = 100_000;

    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final String PREFIX = "$pbkdf2-sha256$i=";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getDecoder();

    /** A new hash of {@code password} with a fresh random salt. */
    public static PasswordHash create(char[] password, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
        }
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return new PasswordHash(iterations, salt, derive(password, salt, iterations, HASH_BYTES));
    }

    /**
     * Reads the text form.
     *
     * @throws IllegalArgumentException with a message saying what is wrong with {@code text}
     */
    public static PasswordHash parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a WellWatch password hash (expected $pbkdf2-sha256$i=<iterations>$<salt>$<hash>,"
                    + " made with 'wellwatch hash-password')");
        }
        String[] parts = text.substring(PREFIX.length()).split("\\$", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("password hash must have the form $pbkdf2-sha256$i=<iterations>$<salt>$<hash>");
        }
        int iterations;
        byte[] salt;
        byte[] hash;
        try {
            iterations = Integer.parseInt(parts[0]);
            salt = B64_DECODE.decode(parts[1]);
            hash = B64_DECODE.decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("password hash is damaged (iterations, salt or hash cannot be read)");
        }
        if (iterations < 1 || salt.length < 8 || hash.length < 16) {
            throw new IllegalArgumentException("password hash is damaged (iterations, salt or hash too small)");
        }
        return new PasswordHash(iterations, salt, hash);
    }

    /** True if {@code password} is the one hashed; compares in constant time. */
    public boolean matches(char[] password) {
        return MessageDigest.isEqual(hash, derive(password, salt, iterations, hash.length));
    }

    /** Same as {@link #matches(char[])} for a password that already is a String (as Milo hands it over). */
    public boolean matches(String password) {
        char[] chars = password.toCharArray();
        try {
            return matches(chars);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /** The text form for the config. */
    public String format() {
        return PREFIX + iterations + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    @Override
    public String toString() {
        return "PasswordHash[pbkdf2-sha256, " + iterations + " iterations]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordHash p && p.iterations == iterations
                && Arrays.equals(p.salt, salt) && Arrays.equals(p.hash, hash);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * iterations + Arrays.hashCode(salt)) + Arrays.hashCode(hash);
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations, int bytes) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available in this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
