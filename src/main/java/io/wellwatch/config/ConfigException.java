package io.wellwatch.config;

/** A configuration problem, with a message that names the file, the line and the field. */
public final class ConfigException extends Exception {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
