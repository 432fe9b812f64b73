package dev.vigil.config;

import java.nio.file.Path;
import java.util.List;

/**
 * TLS options of a target: a CA bundle to trust (PEM), and a client certificate and key for mTLS.
 * Any may be null. Immutable.
 */
public record TlsConfig(Path caFile, Path certFile, Path keyFile, boolean verifyHostname) {

  private static final List<String> KEYS = List.of("caFile", "certFile", "keyFile", "verifyHostname");

  /**
   * A target's {@code tls}: CA bundle, client certificate and key (together), hostname verification.
   * Returns the settings, or null when absent.
   */
  static TlsConfig read(Node node) {
    if (node.isAbsent()) {
      return null;
    }
    Mapping m = Mapping.of(node, KEYS);
    Path caFile = file(m, "caFile");
    Path certFile = file(m, "certFile");
    Path keyFile = file(m, "keyFile");
    boolean verifyHostname = m.bool("verifyHostname", true);
    m.check("certFile", m.has("certFile") || !m.has("keyFile"), "required when keyFile is set (mTLS needs both)");
    m.check("keyFile", m.has("keyFile") || !m.has("certFile"), "required when certFile is set (mTLS needs both)");
    return new TlsConfig(caFile, certFile, keyFile, verifyHostname);
  }

  /**
   * A readable regular file of at most {@link BoundedFiles#KEY_MAX_BYTES}, relative to the
   * configuration file; null when absent.
   */
  static Path file(Mapping m, String key) {
    String name = m.secret(key, null);
    if (name == null) {
      return null;
    }
    Path path = m.node(key).context().resolve(name);
    try {
      BoundedFiles.check(path, BoundedFiles.KEY_MAX_BYTES);
    } catch (BoundedFiles.Problem e) {
      m.unreadableFile(key, e);
    }
    return path;
  }
}
