package dev.warden.agent.config;

/** The configuration is invalid; the message names the key, its source and what is wrong. */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
