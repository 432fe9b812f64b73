package dev.vigil.sim;

import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.SigningKey;
import dev.vigil.score.TargetId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The signing keys of the fleet: a fresh Ed25519 key per instance, or the PKCS#8 files {@code
 * <service>-<environment>.key.pem} of a directory (Ed25519 or ECDSA P-256; RSA is refused because
 * its signing is too slow for an event loop). Blocking (key generation and file reads): call
 * it off the event loop. Stateless.
 */
final class FleetKeys {
  private FleetKeys() {}

  /** The file name of an instance's private key. */
  static String privateKeyFile(TargetId id) {
    return id.service() + "-" + id.environment() + ".key.pem";
  }

  /** The file name of an instance's public key. */
  static String publicKeyFile(TargetId id) {
    return id.service() + "-" + id.environment() + ".pub.pem";
  }

  /**
   * One key per target, in target order.
   *
   * @throws IOException naming the file when a key file is missing, unreadable or not a key
   */
  static Map<TargetId, SigningKey> load(Iterable<TargetId> targets, Path keysDir, SecureRandom random)
      throws IOException {
    Map<TargetId, SigningKey> keys = new LinkedHashMap<>();
    for (TargetId id : targets) {
      keys.put(id, keysDir == null ? Keys.generate(Scheme.ED25519, random) : read(keysDir.resolve(privateKeyFile(id)), id));
    }
    return keys;
  }

  private static SigningKey read(Path file, TargetId id) throws IOException {
    String pem;
    try {
      if (Files.exists(file)) {
        dev.vigil.config.BoundedFiles.check(file, dev.vigil.config.BoundedFiles.KEY_MAX_BYTES);
      }
      pem = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file.toString(), null, "no key for " + id + " (expected " + file.getFileName() + ")");
    } catch (dev.vigil.config.BoundedFiles.Problem e) {
      throw new IOException("the key of " + id + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IOException("cannot read the key of " + id + " from " + file + ": " + e.getMessage(), e);
    }
    SigningKey key;
    try {
      key = Keys.readPrivate(pem);
    } catch (Keys.KeyException e) {
      throw new IOException("the key of " + id + " in " + file + " is unusable: " + e.getMessage(), e);
    }
    if (key.scheme() == Scheme.RSA_PSS_SHA256) {
      // RSA signing takes milliseconds: too slow for the event loop that answers requests.
      throw new IOException("the key of " + id + " in " + file + " is an RSA key; the simulator signs with "
          + Scheme.ED25519.wireName() + " or " + Scheme.ECDSA_P256.wireName() + " keys only");
    }
    return key;
  }
}
