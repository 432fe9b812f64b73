package dev.vigil.config;

import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.TrustedKey;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A trusted key as configured and loaded: the key read from its PEM file at load, with its scheme,
 * validity window, revocation and scope already applied (a key without an explicit scope is
 * scoped to its target's service). Immutable.
 *
 * @param source where the key came from (a file path), for messages
 */
public record KeyConfig(String source, TrustedKey key) {

  private static final List<String> KEYS = List.of("file", "scheme", "notBefore", "notAfter", "revoked", "scope");

  /**
   * A target's {@code keys}: each a PEM public key or X.509 certificate read from {@code file}
   * (relative to the configuration file), with its optional pinned scheme, validity window,
   * revocation and scope (by default the target's service). Messages never hold key material.
   * Returns the keys (empty when absent), or null when any of them is unusable (errors reported).
   */
  static List<KeyConfig> read(Node node, String service) {
    List<KeyConfig> keys = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    boolean complete = node.isAbsent() || node.isList();
    List<Node> items = node.items("a list of keys");
    for (int i = 0; i < items.size(); i++) {
      KeyConfig key = key(items.get(i), service);
      if (key == null) {
        complete = false;
        continue;
      }
      Integer first = seen.putIfAbsent(key.key().keyId(), i);
      if (first != null) {
        items.get(i).error("the same key as keys[" + first + "] (keyid " + key.key().shortId()
            + "); a threshold counts distinct keys");
        complete = false;
      } else {
        keys.add(key);
      }
    }
    return complete ? keys : null;
  }

  private static KeyConfig key(Node node, String service) {
    if (!node.isMapping()) {
      node.error("expected a key: a mapping with at least file; got " + node.describe());
      return null;
    }
    Mapping m = Mapping.of(node, KEYS);
    String file = m.require("file") ? m.secret("file", null) : null;
    Scheme scheme = m.parsed("scheme", null, Scheme::fromWireName);
    Instant notBefore = m.instant("notBefore", null);
    Instant notAfter = m.instant("notAfter", null);
    boolean revoked = m.bool("revoked", false);
    Set<String> scope = scope(m, service);
    Path path = file == null ? null : node.context().resolve(file);
    Keys.PublicKeyMaterial material = path == null ? null : KeyFiles.read(path, m, "file", "key", Keys::readPublic);
    if (material == null) {
      return null;
    }
    m.check("scheme", scheme == null || scheme == material.scheme(),
        "the key in " + path + " is " + material.scheme() + ", not " + scheme);
    Instant from = m.has("notBefore") ? notBefore : material.notBefore();
    Instant until = m.has("notAfter") ? notAfter : material.notAfter();
    if (m.ok("notBefore", "notAfter") && from != null && until != null && !from.isBefore(until)) {
      m.check(m.has("notAfter") ? "notAfter" : "notBefore", false,
          "the validity window is empty: notBefore " + from + " is not before notAfter " + until);
    }
    if (!m.ok() || scope == null) {
      return null;
    }
    TrustedKey key = TrustedKey.of(material).withValidity(from, until).withRevoked(revoked).withScope(scope);
    return new KeyConfig(path.toString(), key);
  }

  /**
   * The services the key may sign for: by default the target's; when given, non-empty and
   * including it. Null when unusable (errors reported).
   */
  private static Set<String> scope(Mapping m, String service) {
    if (!m.has("scope")) {
      return service == null ? Set.of() : Set.of(service);
    }
    Node node = m.node("scope");
    boolean usable = node.isList();
    List<Node> items = node.items("a list of service names");
    Set<String> scope = new LinkedHashSet<>();
    for (Node item : items) {
      String name = item.string();
      if (name == null) {
        usable = false;
      } else if (!TargetConfig.NAME.matcher(name).matches()) {
        item.error("not a valid service name; " + TargetConfig.NAME_RULE);
        usable = false;
      } else {
        scope.add(name);
      }
    }
    if (!usable) {
      return null;
    }
    m.check("scope", !items.isEmpty(), "must list at least one service; leave it out to scope the key to the"
        + " target's service");
    m.check("scope", service == null || items.isEmpty() || scope.contains(service),
        "must include the target's service " + service + ", or the key can never vouch for this target");
    return scope;
  }
}
