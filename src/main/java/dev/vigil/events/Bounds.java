package dev.vigil.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The size bounds of every event Vigil produces, so that no producer error can be a size error
 * (Kafka's default {@code max.message.bytes} is 1 MB). The data records ({@link BreachData},
 * {@link RollbackFinished}) and {@link CloudEvent} apply them in their constructors: identifiers and
 * names at most {@value #ID_CHARS} chars, {@code observed}/{@code expected} {@value #VALUE_CHARS},
 * {@code detail} {@value #DETAIL_CHARS}. A longer value keeps its beginning and ends with a visible
 * marker, {@code …[truncated N chars, sha256 <16 hex>]} (the digest of the whole value, so two long
 * values that share their beginning stay distinct).
 *
 * <p>With every field at its bound and every char JSON-escaped to six bytes, the signed value (the
 * DSSE envelope, payload in base64) stays below {@value #MAX_VALUE_BYTES} bytes; {@code EventBoundsTest}
 * checks that worst case. Stateless and thread-safe.
 */
public final class Bounds {
  /** The documented bound of an encoded event (the Kafka record value). */
  public static final int MAX_VALUE_BYTES = 64 * 1024;
  public static final int ID_CHARS = 256;
  public static final int VALUE_CHARS = 1024;
  public static final int DETAIL_CHARS = 4096;

  private Bounds() {}

  /** {@code s} if at most {@code max} chars long (or null), else its beginning and the marker, {@code max} chars in all. */
  public static String text(String s, int max) {
    if (s == null || s.length() <= max) {
      return s;
    }
    String marker = "…[truncated " + s.length() + " chars, sha256 " + digest(s) + "]";
    int keep = Math.max(0, max - marker.length());
    if (keep > 0 && Character.isHighSurrogate(s.charAt(keep - 1))) {
      keep--;
    }
    return s.substring(0, keep) + marker;
  }

  private static String digest(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
