package dev.vigil.monitor;

import dev.vigil.config.VigilConfig;
import java.util.List;

/** Reads the configuration again (for a reload). May block: the monitor calls it on a worker thread. */
@FunctionalInterface
public interface ConfigSource {
  /** A loaded configuration, or the errors that refuse it (then {@code config} is null). */
  record Loaded(VigilConfig config, List<String> errors) {
    public Loaded {
      errors = List.copyOf(errors);
    }
  }

  Loaded load();
}
