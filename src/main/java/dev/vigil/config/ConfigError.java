package dev.vigil.config;

import java.util.Objects;

/**
 * One problem in a configuration, at a YAML path such as {@code targets[2].keys[0].file} (empty
 * for the document as a whole: not YAML, empty). Messages never contain key material or the admin
 * token. Immutable.
 */
public record ConfigError(String path, String message) {
  public ConfigError {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  /** {@code path: message}, or just the message for the document as a whole. */
  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}
