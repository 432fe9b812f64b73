package dev.vigil.attest;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * The attester side: signs a payload into a DSSE envelope exactly as attestation-v1 section 2
 * describes (signature over PAE, standard base64, the signer's keyid as hint). Thread-safe.
 */
public final class Signer {
  private final List<SigningKey> keys;
  private final SecureRandom random;

  public Signer(List<SigningKey> keys, SecureRandom random) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("a signer needs at least one key");
    }
    this.keys = List.copyOf(keys);
    this.random = random;
  }

  public Signer(SigningKey key) {
    this(List.of(key), new SecureRandom());
  }

  /** Signs {@code payload} of {@code payloadType} with every key of this signer. */
  public Envelope sign(String payloadType, byte[] payload) {
    byte[] pae = Pae.encode(payloadType, payload);
    List<Envelope.Sig> sigs = new ArrayList<>(keys.size());
    for (SigningKey k : keys) {
      sigs.add(new Envelope.Sig(k.keyId(), k.sign(pae, random)));
    }
    return new Envelope(payloadType, payload.clone(), sigs);
  }

  /** Signs an in-toto statement. */
  public Envelope sign(Statement statement) {
    return sign(Envelope.IN_TOTO, statement.toJson());
  }
}
