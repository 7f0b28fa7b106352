package dev.logmerge.core.config;

/**
 * A configuration value is missing or malformed; the message names the setting and the expected
 * form.
 */
public final class ConfigException extends IllegalArgumentException {
  public ConfigException(String message) {
    super(message);
  }
}
