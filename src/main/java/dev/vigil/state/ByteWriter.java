package dev.vigil.state;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Appends the primitive fields of {@link SnapshotCodec}'s format. Not thread-safe: one per record. */
final class ByteWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

  ByteWriter u8(int v) {
    out.write(v);
    return this;
  }

  /** Unsigned LEB128 of a non-negative value. */
  ByteWriter var(long v) {
    if (v < 0) {
      throw new IllegalArgumentException("negative value " + v + " where a count or length was expected");
    }
    return leb128(v);
  }

  /** Zigzag LEB128: small magnitudes of either sign take few bytes. */
  ByteWriter zigzag(long v) {
    return leb128((v << 1) ^ (v >> 63));
  }

  private ByteWriter leb128(long bits) {
    long v = bits;
    while ((v & ~0x7FL) != 0) {
      out.write((int) (v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.write((int) v);
    return this;
  }

  ByteWriter f64(double d) {
    long bits = Double.doubleToRawLongBits(d);
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (bits >>> shift) & 0xFF);
    }
    return this;
  }

  ByteWriter str(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    var(b.length);
    out.write(b, 0, b.length);
    return this;
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }
}
