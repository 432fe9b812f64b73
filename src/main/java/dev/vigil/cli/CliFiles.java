package dev.vigil.cli;

import dev.vigil.attest.Keys;
import dev.vigil.attest.SigningKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** File reading for commands: every failure becomes an {@link Main.InputException} naming the file. */
final class CliFiles {
  private CliFiles() {}

  static byte[] read(Path file, String option) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new Main.InputException(option + " " + file + ": no such file");
    } catch (IOException e) {
      throw new Main.InputException(option + " " + file + ": cannot read: " + e.getMessage());
    }
  }

  static String readText(Path file, String option) {
    return new String(read(file, option), StandardCharsets.UTF_8);
  }

  /**
   * Loads the configuration named by {@code --config}; on errors prints each with its YAML path to
   * {@code err} and throws an input error (exit 2), so a daemon starts nothing.
   */
  static dev.vigil.config.VigilConfig config(Path file, java.io.PrintWriter err) {
    if (!Files.isReadable(file)) {
      throw new Main.InputException("--config " + file + ": no such file or not readable");
    }
    dev.vigil.config.ConfigResult loaded = dev.vigil.config.ConfigLoader.load(file, System.getenv());
    if (!loaded.isValid()) {
      for (dev.vigil.config.ConfigError e : loaded.errors()) {
        err.println(file + ": " + e);
      }
      throw new Main.InputException("--config " + file + ": " + loaded.errors().size() + " error(s); nothing started");
    }
    return loaded.orElseThrow();
  }

  static Keys.PublicKeyMaterial publicKey(Path file, String option) {
    try {
      return Keys.readPublic(readText(file, option));
    } catch (Keys.KeyException e) {
      throw new Main.InputException(option + " " + file + ": " + e.getMessage());
    }
  }

  static SigningKey privateKey(Path file, String option) {
    try {
      return Keys.readPrivate(readText(file, option));
    } catch (Keys.KeyException e) {
      throw new Main.InputException(option + " " + file + ": " + e.getMessage());
    }
  }
}
