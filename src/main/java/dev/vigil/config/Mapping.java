package dev.vigil.config;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A YAML mapping with a fixed set of keys. Creating one reports a value that is not a mapping and
 * every unknown key. Each getter returns the default when the key is absent, and also, after the
 * node has reported why, when the value is unusable; such keys count as failed, so that checks
 * across keys ({@link #ok}) do not pile a second error on the first.
 */
final class Mapping {
  private final Node node;
  private final List<String> keys;
  private final Set<String> failed = new HashSet<>();

  private Mapping(Node node, List<String> keys) {
    this.node = node;
    this.keys = keys;
  }

  static Mapping of(Node node, List<String> keys) {
    if (node.isMapping()) {
      for (String name : node.entries("a mapping").keySet()) {
        if (!keys.contains(name)) {
          node.child(name).error("unknown key; expected one of: " + String.join(", ", keys));
        }
      }
    } else if (!node.isAbsent()) {
      node.error("expected a mapping with keys " + String.join(", ", keys) + "; got " + node.describe());
    }
    return new Mapping(node, keys);
  }

  Node node(String key) {
    if (!keys.contains(key)) {
      throw new IllegalArgumentException("not a key of this mapping: " + key);
    }
    return node.child(key);
  }

  boolean has(String key) {
    return !node(key).isAbsent();
  }

  String string(String key, String def) {
    return value(key, def, Node::string);
  }

  /** A string that must hold no <code>${</code> once substituted ({@link Node#secret}). */
  String secret(String key, String def) {
    return value(key, def, Node::secret);
  }

  /** True when {@code key} is present; otherwise reports it as required and counts it as failed. */
  boolean require(String key) {
    if (has(key)) {
      return true;
    }
    node(key).error("required");
    failed.add(key);
    return false;
  }

  /** A string that must be present; null when absent or unusable (reported). */
  String required(String key) {
    return require(key) ? string(key, null) : null;
  }

  int integer(String key, int def, int min, int max) {
    return value(key, def, n -> n.integer(min, max));
  }

  double number(String key, double def) {
    return value(key, def, Node::number);
  }

  boolean bool(String key, boolean def) {
    return value(key, def, Node::bool);
  }

  Duration duration(String key, Duration def) {
    return value(key, def, Node::duration);
  }

  Instant instant(String key, Instant def) {
    return value(key, def, Node::instant);
  }

  /**
   * A string turned into a value by {@code parser}, whose {@link IllegalArgumentException} message
   * becomes the error.
   */
  <T> T parsed(String key, T def, Function<String, T> parser) {
    return value(key, def, n -> {
      String text = n.string();
      if (text == null) {
        return null;
      }
      try {
        return parser.apply(text);
      } catch (IllegalArgumentException e) {
        n.error(e.getMessage());
        return null;
      }
    });
  }

  /** True when none of {@code names} (none at all, when empty) failed. */
  boolean ok(String... names) {
    if (names.length == 0) {
      return failed.isEmpty();
    }
    for (String name : names) {
      if (failed.contains(name)) {
        return false;
      }
    }
    return true;
  }

  /** Reports the file named at {@code key} as unreadable and counts the key as failed. */
  void unreadableFile(String key, BoundedFiles.Problem problem) {
    if (failed.add(key)) {
      node(key).unreadableFile(problem);
    }
  }

  /** Reports {@code message} at {@code key} when {@code condition} is false and the key has not failed yet. */
  void check(String key, boolean condition, String message) {
    if (!condition && !failed.contains(key)) {
      node(key).error(message);
      failed.add(key);
    }
  }

  /** {@code Duration.isPositive()}, which Java 17 lacks. */
  static boolean positive(Duration d) {
    return !d.isZero() && !d.isNegative();
  }

  private <T> T value(String key, T def, Function<Node, T> read) {
    Node n = node(key);
    if (n.isAbsent()) {
      return def;
    }
    T v = read.apply(n);
    if (v == null) {
      failed.add(key);
      return def;
    }
    return v;
  }
}
