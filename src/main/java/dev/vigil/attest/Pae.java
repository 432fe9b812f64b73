package dev.vigil.attest;

import java.nio.charset.StandardCharsets;

/**
 * DSSE Pre-Authentication Encoding: the exact bytes every signature covers.
 *
 * <pre>PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body</pre>
 *
 * <p>LEN is the byte length in ASCII decimal. Stateless and thread-safe.
 */
public final class Pae {
  private static final byte[] PREFIX = "DSSEv1 ".getBytes(StandardCharsets.US_ASCII);

  private Pae() {}

  /** Encodes the payload type (as UTF-8) and the decoded payload bytes. */
  public static byte[] encode(String payloadType, byte[] body) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    byte[] typeLen = Integer.toString(type.length).getBytes(StandardCharsets.US_ASCII);
    byte[] bodyLen = Integer.toString(body.length).getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[PREFIX.length + typeLen.length + 1 + type.length + 1 + bodyLen.length + 1 + body.length];
    int at = 0;
    at = put(out, at, PREFIX);
    at = put(out, at, typeLen);
    out[at++] = ' ';
    at = put(out, at, type);
    out[at++] = ' ';
    at = put(out, at, bodyLen);
    out[at++] = ' ';
    put(out, at, body);
    return out;
  }

  private static int put(byte[] out, int at, byte[] src) {
    System.arraycopy(src, 0, out, at, src.length);
    return at + src.length;
  }
}
