package dev.vigil.state;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the primitive fields of {@link SnapshotCodec}'s format, refusing truncated or oversized
 * values with a {@link StateFormatException}. Not thread-safe: one per record.
 */
final class ByteReader {
  /** No string or list of a snapshot is longer; a larger length is damage, not data. */
  private static final int MAX_LENGTH = 1 << 20;
  private final byte[] b;
  private int pos;

  ByteReader(byte[] b) {
    this.b = b;
  }

  int remaining() {
    return b.length - pos;
  }

  int u8() throws StateFormatException {
    need(1);
    return b[pos++] & 0xFF;
  }

  long var() throws StateFormatException {
    long v = leb128();
    if (v < 0) {
      throw new StateFormatException("a count or length out of range at byte " + pos);
    }
    return v;
  }

  long zigzag() throws StateFormatException {
    long z = leb128();
    return (z >>> 1) ^ -(z & 1);
  }

  private long leb128() throws StateFormatException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int x = u8();
      v |= (long) (x & 0x7F) << shift;
      if ((x & 0x80) == 0) {
        return v;
      }
    }
    throw new StateFormatException("a variable-length number longer than 10 bytes at byte " + pos);
  }

  /** A list length, bounded. */
  int count() throws StateFormatException {
    long n = var();
    if (n > MAX_LENGTH) {
      throw new StateFormatException("a list of " + n + " items at byte " + pos + " (at most " + MAX_LENGTH + ")");
    }
    return (int) n;
  }

  double f64() throws StateFormatException {
    need(8);
    long bits = 0;
    for (int i = 0; i < 8; i++) {
      bits = bits << 8 | (b[pos++] & 0xFF);
    }
    return Double.longBitsToDouble(bits);
  }

  String str() throws StateFormatException {
    int n = count();
    need(n);
    try {
      String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, pos, n)).toString();
      pos += n;
      return s;
    } catch (CharacterCodingException e) {
      throw new StateFormatException("a string that is not UTF-8 at byte " + pos);
    }
  }

  private void need(int n) throws StateFormatException {
    if (n > b.length - pos) {
      throw new StateFormatException("the record ends early: " + n + " byte(s) needed at byte " + pos + " of " + b.length);
    }
  }
}
