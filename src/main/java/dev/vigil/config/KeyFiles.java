package dev.vigil.config;

import dev.vigil.attest.Keys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The one reader of key files named in the configuration (targets' {@code keys},
 * {@code controller.trustedMonitorKeys}, {@code events.signingKey}): a bounded read, then the PEM
 * parsed; every problem reported at the key that named the file, never with key material.
 * Stateless.
 */
final class KeyFiles {
  private KeyFiles() {}

  /** Parses the PEM text of a key file. */
  @FunctionalInterface
  interface Parser<T> {
    T parse(String pem) throws Keys.KeyException;
  }

  /**
   * The key in {@code path}, named at {@code key} of {@code m}; null after reporting why it cannot
   * be used ({@code what} names the kind of key in the message, e.g. "private key").
   */
  static <T> T read(Path path, Mapping m, String key, String what, Parser<T> parser) {
    String problem;
    try {
      return parser.parse(new String(BoundedFiles.read(path, BoundedFiles.KEY_MAX_BYTES), StandardCharsets.UTF_8));
    } catch (BoundedFiles.Problem e) {
      m.unreadableFile(key, e);
      return null;
    } catch (Keys.KeyException e) {
      problem = "no usable " + what + " in " + path + ": " + e.getMessage();
    }
    m.check(key, false, problem);
    return null;
  }
}
