package dev.vigil.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The state of one load: the environment, the directory relative paths resolve against, and the errors so far. */
final class LoadContext {
  private final Map<String, String> env;
  private final Path baseDir;
  private final List<ConfigError> errors = new ArrayList<>();

  LoadContext(Map<String, String> env, Path baseDir) {
    this.env = Map.copyOf(env);
    this.baseDir = baseDir;
  }

  Map<String, String> env() {
    return env;
  }

  /** {@code file} resolved against the configuration file's directory (absolute paths stay as they are). */
  Path resolve(String file) {
    return baseDir.resolve(file).normalize();
  }

  void error(String path, String message) {
    errors.add(new ConfigError(path, message));
  }

  void unreadableFile(String path, String message) {
    errors.add(new ConfigError(path, message, true));
  }

  /** True when an error was reported at {@code path}, above it or below it. */
  boolean reportedNear(String path) {
    return errors.stream().map(ConfigError::path).anyMatch(e -> e.equals(path) || within(path, e) || within(e, path));
  }

  private static boolean within(String path, String ancestor) {
    return path.startsWith(ancestor) && (path.length() > ancestor.length())
        && (path.charAt(ancestor.length()) == '.' || path.charAt(ancestor.length()) == '[');
  }

  List<ConfigError> errors() {
    return List.copyOf(errors);
  }
}
