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
