package dev.vigil.attest;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.junit.jupiter.api.Test;

/** The ECDSA P-256 test vector of the DSSE protocol document (protocol.md, "Test Vectors"). */
class DsseSpecVectorTest {
  private static final ECNamedDomainParameters P256 = new ECNamedDomainParameters(
      SECObjectIdentifiers.secp256r1, ECNamedCurveTable.getByOID(SECObjectIdentifiers.secp256r1));
  private static final BigInteger X = new BigInteger("46950820868899156662930047687818585632848591499744589407958293238635476079160");
  private static final BigInteger Y = new BigInteger("5640078356564379163099075877009565129882514886557779369047442380624545832820");
  private static final BigInteger D = new BigInteger("97358161215184420915383655311931858321456579547487070936769975997791359926199");
  private static final String SIG = "A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA==";
  private static final byte[] PAE = "DSSEv1 29 http://example.com/HelloWorld 11 hello world".getBytes(StandardCharsets.US_ASCII);

  private static ECPublicKeyParameters publicKey() {
    return new ECPublicKeyParameters(P256.getCurve().validatePoint(X, Y), P256);
  }

  @Test
  void rawSignatureOfTheSpecVerifies() {
    byte[] sig = Base64.getDecoder().decode(SIG);
    assertThat(sig).hasSize(64);
    assertThat(Scheme.ECDSA_P256.verify(publicKey(), new SignedMessage(PAE), sig)).isTrue();
  }

  @Test
  void deterministicSigningReproducesTheSpecSignature() throws Exception {
    byte[] der = Scheme.ECDSA_P256.sign(new ECPrivateKeyParameters(D, P256), PAE, Fixtures.RANDOM);
    BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(P256.getN(), der);
    byte[] expected = Base64.getDecoder().decode(SIG);
    assertThat(rs[0]).isEqualTo(new BigInteger(1, java.util.Arrays.copyOfRange(expected, 0, 32)));
    assertThat(rs[1]).isEqualTo(new BigInteger(1, java.util.Arrays.copyOfRange(expected, 32, 64)));
  }

  @Test
  void theSpecEnvelopeParsesAndItsSignatureVerifiesOverItsPae() throws Exception {
    String json = "{\"payload\": \"aGVsbG8gd29ybGQ=\", \"payloadType\": \"http://example.com/HelloWorld\","
        + " \"signatures\": [{\"sig\": \"" + SIG + "\"}]}";
    Envelope env = Envelope.parse(json.getBytes(StandardCharsets.UTF_8), 8);
    assertThat(env.pae()).isEqualTo(PAE);
    assertThat(env.signatures().get(0).keyid()).isEmpty();
    TrustedKey key = new TrustedKey("k", Scheme.ECDSA_P256, publicKey(), null, null, false, Set.of());
    assertThat(key.verifies(env.pae(), env.signatures().get(0).sig())).isTrue();
  }

  @Test
  void aSpecEnvelopeWithAnotherPayloadTypeIsMalformedForVigil() {
    String json = "{\"payload\": \"aGVsbG8gd29ybGQ=\", \"payloadType\": \"http://example.com/HelloWorld\","
        + " \"signatures\": [{\"sig\": \"" + SIG + "\"}]}";
    TrustedKey key = new TrustedKey("k", Scheme.ECDSA_P256, publicKey(), null, null, false, Set.of());
    Verification v = Fixtures.verifier(key).verify(json.getBytes(StandardCharsets.UTF_8), Fixtures.expect());
    assertThat(v.verdict()).isEqualTo(Verdict.MALFORMED_ENVELOPE);
    assertThat(v.detail()).contains("payloadType");
  }
}
