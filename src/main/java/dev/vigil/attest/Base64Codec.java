package dev.vigil.attest;

import java.util.Base64;

/** DSSE's base64: standard or URL-safe alphabet, padding optional, never both alphabets at once. */
final class Base64Codec {
  private Base64Codec() {}

  static byte[] decode(String text) {
    boolean url = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
    boolean std = text.indexOf('+') >= 0 || text.indexOf('/') >= 0;
    if (url && std) {
      throw new IllegalArgumentException("mixes the standard and URL-safe base64 alphabets");
    }
    return (url ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text);
  }

  static String encode(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
