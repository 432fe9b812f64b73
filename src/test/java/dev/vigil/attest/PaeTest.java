package dev.vigil.attest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PaeTest {
  @Test
  void matchesTheDsseSpecExample() {
    byte[] pae = Pae.encode("http://example.com/HelloWorld", "hello world".getBytes(StandardCharsets.UTF_8));
    assertThat(new String(pae, StandardCharsets.US_ASCII))
        .isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  }

  @Test
  void emptyBodyHasLengthZero() {
    assertThat(new String(Pae.encode("t", new byte[0]), StandardCharsets.US_ASCII)).isEqualTo("DSSEv1 1 t 0 ");
  }

  @Test
  void lengthsCountUtf8BytesNotCharacters() {
    byte[] pae = Pae.encode("é", "ü".getBytes(StandardCharsets.UTF_8));
    assertThat(new String(pae, StandardCharsets.UTF_8)).isEqualTo("DSSEv1 2 é 2 ü");
  }

  @Test
  void bodyBytesAreCopiedVerbatimIncludingNonUtf8() {
    byte[] body = {(byte) 0xff, 0, 0x20, (byte) 0x80};
    byte[] pae = Pae.encode("x", body);
    assertThat(pae).endsWith(body);
    assertThat(pae).hasSize("DSSEv1 1 x 4 ".length() + 4);
  }
}
