package dev.vigil.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A target's {@code tls}: CA bundle, client certificate and key (together), hostname verification. */
final class TlsSection {
  private static final List<String> KEYS = List.of("caFile", "certFile", "keyFile", "verifyHostname");

  private TlsSection() {}

  /** The settings, or null when absent. */
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

  /** An existing, readable file, relative to the configuration file; null when absent or unusable. */
  private static Path file(Mapping m, String key) {
    String name = m.string(key, null);
    if (name == null) {
      return null;
    }
    Path path = m.node(key).context().resolve(name);
    if (Files.isDirectory(path)) {
      m.check(key, false, path + " is a directory, not a file");
    } else if (!Files.exists(path)) {
      m.check(key, false, "no such file: " + path);
    } else if (!Files.isReadable(path)) {
      m.check(key, false, "cannot read " + path + ": permission denied");
    }
    return path;
  }
}
