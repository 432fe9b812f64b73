package dev.vigil.config;

import java.util.Objects;

/**
 * One problem in a configuration, at a YAML path such as {@code targets[2].keys[0].file} (empty
 * for the document as a whole: not YAML, empty). Messages never contain key material or the admin
 * token. {@code unreadableFile} marks a file that could not be read at all (missing, not a regular
 * file, over its size cap), which {@code vigil config check} reports with exit status 2. Immutable.
 */
public record ConfigError(String path, String message, boolean unreadableFile) {
  public ConfigError {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  /** A problem with the content, not with reading a file. */
  public ConfigError(String path, String message) {
    this(path, message, false);
  }

  /** {@code path: message}, or just the message for the document as a whole. */
  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}
