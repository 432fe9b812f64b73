package dev.vigil.attest;

import static dev.vigil.attest.Fixtures.expect;
import static dev.vigil.attest.Fixtures.statement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class EnvelopeTest {
  private final SigningKey key = Fixtures.key(Scheme.ECDSA_P256);
  private final Envelope signed = new Signer(key).sign(statement());

  private String json(Base64.Encoder enc, String extra, boolean withKeyid) {
    return "{" + extra + "\"payloadType\":\"" + signed.payloadType() + "\",\"payload\":\""
        + enc.encodeToString(signed.payload()) + "\",\"signatures\":[{" + (withKeyid ? "\"keyid\":\"" + key.keyId() + "\"," : "")
        + "\"sig\":\"" + enc.encodeToString(signed.signatures().get(0).sig()) + "\"}]}";
  }

  private Verdict verify(String body) {
    return Fixtures.verifier(key.trusted()).verify(body.getBytes(StandardCharsets.UTF_8), expect()).verdict();
  }

  @Nested
  class Base64Forms {
    @Test
    void standardPaddedAndUnpadded() {
      assertThat(verify(json(Base64.getEncoder(), "", true))).isEqualTo(Verdict.COMPLIANT);
      assertThat(verify(json(Base64.getEncoder().withoutPadding(), "", true))).isEqualTo(Verdict.COMPLIANT);
    }

    @Test
    void urlSafePaddedAndUnpadded() {
      assertThat(verify(json(Base64.getUrlEncoder(), "", true))).isEqualTo(Verdict.COMPLIANT);
      assertThat(verify(json(Base64.getUrlEncoder().withoutPadding(), "", true))).isEqualTo(Verdict.COMPLIANT);
    }

    @Test
    void mixedAlphabetsAreRejected() {
      assertThatThrownBy(() -> Base64Codec.decode("ab+c-d==")).hasMessageContaining("mixes");
    }

    @Test
    void wrongPaddingIsRejected() {
      assertThatThrownBy(() -> Base64Codec.decode("abc==")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> Base64Codec.decode("a")).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class Fields {
    @Test
    void unknownTopLevelFieldsAreIgnored() {
      assertThat(verify(json(Base64.getEncoder(), "\"extra\":{\"a\":[1,2]},\"note\":\"x\",", true)))
          .isEqualTo(Verdict.COMPLIANT);
    }

    @Test
    void keyidMayBeAbsentEmptyOrNull() {
      assertThat(verify(json(Base64.getEncoder(), "", false))).isEqualTo(Verdict.COMPLIANT);
      String nullKeyid = json(Base64.getEncoder(), "", true).replace("\"" + key.keyId() + "\"", "null");
      assertThat(verify(nullKeyid)).isEqualTo(Verdict.COMPLIANT);
    }

    @Test
    void emptySignatureListIsMalformed() {
      String body = "{\"payloadType\":\"" + Envelope.IN_TOTO + "\",\"payload\":\"e30\",\"signatures\":[]}";
      assertThat(verify(body)).isEqualTo(Verdict.MALFORMED_ENVELOPE);
    }

    @Test
    void emptySigIsMalformed() {
      String body = "{\"payloadType\":\"" + Envelope.IN_TOTO + "\",\"payload\":\"e30\",\"signatures\":[{\"sig\":\"\"}]}";
      assertThat(verify(body)).isEqualTo(Verdict.MALFORMED_ENVELOPE);
    }

    @Test
    void serialisationRoundTrips() throws Exception {
      Envelope back = Envelope.parse(signed.toJson(), 8);
      assertThat(back.payload()).isEqualTo(signed.payload());
      assertThat(back.payloadType()).isEqualTo(signed.payloadType());
      assertThat(back.signatures().get(0).keyid()).isEqualTo(key.keyId());
      assertThat(back.signatures().get(0).sig()).isEqualTo(signed.signatures().get(0).sig());
    }
  }
}
