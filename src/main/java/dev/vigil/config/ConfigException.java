package dev.vigil.config;

import java.util.List;

/** An invalid configuration; the message lists every error, one a line. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<ConfigError> errors;

  public ConfigException(String what, List<ConfigError> errors) {
    super(message(what, errors));
    this.errors = List.copyOf(errors);
  }

  public List<ConfigError> errors() {
    return errors;
  }

  private static String message(String what, List<ConfigError> errors) {
    StringBuilder b = new StringBuilder(what).append(" (").append(errors.size())
        .append(errors.size() == 1 ? " error)" : " errors)");
    for (ConfigError e : errors) {
      b.append(System.lineSeparator()).append("  ").append(e);
    }
    return b.toString();
  }
}
