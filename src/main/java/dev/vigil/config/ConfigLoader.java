package dev.vigil.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Loads the YAML configuration into a {@link VigilConfig}, checking everything at once: each
 * unknown key, wrong type, value out of range, unset environment variable, unreadable key file and
 * duplicate target is a {@link ConfigError} naming its YAML path, and all of them are reported
 * together. Scalar values may use {@code ${VAR}} and {@code ${VAR:-default}}, the default itself
 * holding references ({@link EnvSubstitution}). Thread-safe.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /**
   * Reads {@code file} (UTF-8, a regular file of at most {@link BoundedFiles#CONFIG_MAX_BYTES});
   * relative paths in it resolve against its directory.
   */
  public static ConfigResult load(Path file, Map<String, String> env) {
    String yaml;
    try {
      yaml = BoundedFiles.readUtf8(file, BoundedFiles.CONFIG_MAX_BYTES);
    } catch (BoundedFiles.Problem e) {
      return new ConfigResult.Invalid(List.of(new ConfigError("", e.getMessage(), true)));
    }
    return parse(yaml, file.toAbsolutePath().getParent(), env);
  }

  /** Parses {@code yaml}; relative paths in it resolve against {@code baseDir}. */
  public static ConfigResult parse(String yaml, Path baseDir, Map<String, String> env) {
    Objects.requireNonNull(yaml, "yaml");
    LoadContext ctx = new LoadContext(env, baseDir.toAbsolutePath());
    JsonNode tree = YamlDocument.read(yaml, ctx);
    VigilConfig config = tree == null ? null : VigilConfig.read(new Node(tree, "", ctx));
    return ctx.errors().isEmpty() ? new ConfigResult.Valid(config) : new ConfigResult.Invalid(ctx.errors());
  }

  /** {@link #load} with the process environment; throws a {@link ConfigException} listing every error. */
  public static VigilConfig loadOrThrow(Path file) {
    ConfigResult result = load(file, System.getenv());
    if (result instanceof ConfigResult.Valid valid) {
      return valid.config();
    }
    throw new ConfigException(file + ": invalid configuration", result.errors());
  }

}
