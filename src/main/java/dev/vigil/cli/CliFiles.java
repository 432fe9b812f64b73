package dev.vigil.cli;

import dev.vigil.attest.Keys;
import dev.vigil.attest.SigningKey;
import dev.vigil.config.BoundedFiles;
import dev.vigil.config.RelaxedVerification;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * File reading for commands, through {@link BoundedFiles} (a regular file under a cap, checked
 * before reading): every failure becomes an {@link Main.InputException} (exit 2) naming the option
 * and the file.
 */
final class CliFiles {
  private static final Logger LOG = LoggerFactory.getLogger(CliFiles.class);

  private CliFiles() {}

  static byte[] read(Path file, String option, long maxBytes) {
    try {
      return BoundedFiles.read(file, maxBytes);
    } catch (BoundedFiles.Problem e) {
      throw new Main.InputException(option + ": " + e.getMessage());
    }
  }

  static String readText(Path file, String option, long maxBytes) {
    return new String(read(file, option, maxBytes), StandardCharsets.UTF_8);
  }

  /**
   * Loads the configuration named by {@code --config}; on errors prints each with its YAML path to
   * {@code err} and throws an input error (exit 2), so a daemon starts nothing. Every place where
   * the configuration weakens TLS verification is logged at WARN, at every start.
   */
  static dev.vigil.config.VigilConfig config(Path file, java.io.PrintWriter err) {
    try {
      BoundedFiles.check(file, BoundedFiles.CONFIG_MAX_BYTES);
    } catch (BoundedFiles.Problem e) {
      throw new Main.InputException("--config: " + e.getMessage());
    }
    dev.vigil.config.ConfigResult loaded = dev.vigil.config.ConfigLoader.load(file, System.getenv());
    if (!loaded.isValid()) {
      for (dev.vigil.config.ConfigError e : loaded.errors()) {
        err.println(file + ": " + e);
      }
      throw new Main.InputException("--config " + file + ": " + loaded.errors().size() + " error(s); nothing started");
    }
    dev.vigil.config.VigilConfig config = loaded.orElseThrow();
    for (RelaxedVerification.Relaxation r : RelaxedVerification.of(config)) {
      LOG.warn("{}: verification weakened by configuration: {}", file, r);
    }
    return config;
  }

  static Keys.PublicKeyMaterial publicKey(Path file, String option) {
    try {
      return Keys.readPublic(readText(file, option, BoundedFiles.KEY_MAX_BYTES));
    } catch (Keys.KeyException e) {
      throw new Main.InputException(option + " " + file + ": " + e.getMessage());
    }
  }

  static SigningKey privateKey(Path file, String option) {
    try {
      return Keys.readPrivate(readText(file, option, BoundedFiles.KEY_MAX_BYTES));
    } catch (Keys.KeyException e) {
      throw new Main.InputException(option + " " + file + ": " + e.getMessage());
    }
  }
}
