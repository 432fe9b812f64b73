package dev.vigil.evidence;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * The C2SP tlog-checkpoint body of evidence-v1 section 3: origin line, tree size in decimal, root
 * hash in standard base64, each line ending in a newline. Immutable; thread-safe.
 */
public record Checkpoint(String origin, long size, byte[] root) {
  /** The origin prefix: the origin is {@code vigil.dev/<monitorId>}. */
  public static final String ORIGIN_PREFIX = "vigil.dev/";

  public Checkpoint {
    Objects.requireNonNull(origin, "origin");
    if (origin.isEmpty() || origin.chars().anyMatch(c -> c <= ' ' || c == '+' || c > 0x7e)) {
      throw new IllegalArgumentException("a checkpoint origin is printable ASCII without spaces or '+'");
    }
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative");
    }
    if (root.length != Rfc9162.HASH) {
      throw new IllegalArgumentException("a root hash has 32 bytes");
    }
    root = root.clone();
  }

  /** The checkpoint of monitor {@code monitorId} (origin {@code vigil.dev/<monitorId>}). */
  public static Checkpoint of(String monitorId, long size, byte[] root) {
    return new Checkpoint(ORIGIN_PREFIX + monitorId, size, root);
  }

  @Override
  public byte[] root() {
    return root.clone();
  }

  /** The note body: three lines, each ending in {@code \n}. */
  public String body() {
    return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
  }

  /** Parses a body of exactly three lines; null when it is not one. */
  static Checkpoint parseBody(String body) {
    String[] lines = body.split("\n", -1);
    if (lines.length != 4 || !lines[3].isEmpty() || !lines[1].matches("0|[1-9][0-9]{0,18}")) {
      return null;
    }
    try {
      byte[] root = Base64.getDecoder().decode(lines[2]);
      Checkpoint c = new Checkpoint(lines[0], Long.parseLong(lines[1]), root);
      return c.body().equals(body) ? c : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  byte[] bodyBytes() {
    return body().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Checkpoint c && origin.equals(c.origin) && size == c.size && MerkleTree.same(root, c.root);
  }

  @Override
  public int hashCode() {
    return Objects.hash(origin, size) * 31 + java.util.Arrays.hashCode(root);
  }

  @Override
  public String toString() {
    return origin + " size " + size + " root " + Base64.getEncoder().encodeToString(root);
  }
}
