package dev.vigil.attest;

/**
 * The encoding rule of attestation-v1 and events-v1: a JSON document is UTF-8, without a byte order
 * mark. Jackson would otherwise guess UTF-16 or UTF-32 from the first bytes, giving the same
 * signed bytes two meanings. A raw NUL byte can never appear in UTF-8 JSON (control characters
 * must be escaped), so one also marks a UTF-16 or UTF-32 document. Stateless and thread-safe.
 */
public final class Utf8 {
  private Utf8() {}

  /** Why {@code bytes} are not strict UTF-8 JSON text (one line, with the byte offset), or null if they are. */
  public static String problem(byte[] bytes) {
    if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
      return "starts with a UTF-8 byte order mark";
    }
    int i = 0;
    while (i < bytes.length) {
      int b = bytes[i] & 0xFF;
      if (b == 0) {
        return "NUL byte at offset " + i + " (UTF-16 or UTF-32 text?)";
      }
      if (b < 0x80) {
        i++;
        continue;
      }
      int len = sequenceLength(bytes, i);
      if (len < 0) {
        return "invalid UTF-8 sequence at offset " + i;
      }
      i += len;
    }
    return null;
  }

  /** The length of the well-formed multi-byte sequence at {@code i} (RFC 3629 table 3), or -1. */
  private static int sequenceLength(byte[] bytes, int i) {
    int b = bytes[i] & 0xFF;
    int len;
    int lo = 0x80;
    int hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
      lo = b == 0xE0 ? 0xA0 : 0x80;
      hi = b == 0xED ? 0x9F : 0xBF;
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
      lo = b == 0xF0 ? 0x90 : 0x80;
      hi = b == 0xF4 ? 0x8F : 0xBF;
    } else {
      return -1;
    }
    if (i + len > bytes.length) {
      return -1;
    }
    int second = bytes[i + 1] & 0xFF;
    if (second < lo || second > hi) {
      return -1;
    }
    for (int k = 2; k < len; k++) {
      int c = bytes[i + k] & 0xFF;
      if (c < 0x80 || c > 0xBF) {
        return -1;
      }
    }
    return len;
  }
}
