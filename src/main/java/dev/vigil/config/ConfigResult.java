package dev.vigil.config;

import java.util.List;

/**
 * The outcome of loading a configuration: either a {@link Valid} configuration or every {@link
 * ConfigError} found ({@link Invalid}, never empty). Immutable.
 */
public sealed interface ConfigResult permits ConfigResult.Valid, ConfigResult.Invalid {

  /** A configuration that passed every check. */
  record Valid(VigilConfig config) implements ConfigResult {
    @Override
    public List<ConfigError> errors() {
      return List.of();
    }
  }

  /** A configuration with at least one error; all of them, in document order. */
  record Invalid(List<ConfigError> errors) implements ConfigResult {
    public Invalid {
      errors = List.copyOf(errors);
      if (errors.isEmpty()) {
        throw new IllegalArgumentException("an invalid configuration has at least one error");
      }
    }
  }

  /** Every error found; empty when valid. */
  List<ConfigError> errors();

  default boolean isValid() {
    return this instanceof Valid;
  }

  /** The configuration, or a {@link ConfigException} listing every error. */
  default VigilConfig orElseThrow() {
    if (this instanceof Valid valid) {
      return valid.config();
    }
    throw new ConfigException("invalid configuration", errors());
  }
}
