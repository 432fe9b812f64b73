package dev.vigil.attest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A DSSE envelope: the payload type, the decoded payload bytes and the signatures over their PAE.
 *
 * <p>Parsing follows the DSSE spec: both base64 alphabets, padding optional, unknown top-level
 * fields ignored. Immutable; the arrays it holds are never handed out for modification by this
 * package.
 */
public record Envelope(String payloadType, byte[] payload, List<Sig> signatures) {

  /** The payload type of an in-toto statement. */
  public static final String IN_TOTO = "application/vnd.in-toto+json";
  /** The media type of an envelope in HTTP and Kafka headers. */
  public static final String MEDIA_TYPE = "application/vnd.dsse.envelope.v1+json";

  /** One signature; {@code keyid} is an unauthenticated hint and may be empty. */
  public record Sig(String keyid, byte[] sig) {
    public Sig {
      keyid = keyid == null ? "" : keyid;
    }
  }

  public Envelope {
    signatures = List.copyOf(signatures);
  }

  /** The bytes the signatures cover. */
  public byte[] pae() {
    return Pae.encode(payloadType, payload);
  }

  /**
   * Serialises with standard padded base64, the form signers produce, as compact JSON: one line,
   * no insignificant whitespace (events-v1 requires it on Kafka; line-oriented tools read one
   * envelope per line).
   */
  public byte[] toJson() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("payloadType", payloadType);
    root.put("payload", Base64Codec.encode(payload));
    ArrayNode sigs = root.putArray("signatures");
    for (Sig s : signatures) {
      sigs.addObject().put("keyid", s.keyid()).put("sig", Base64Codec.encode(s.sig()));
    }
    try {
      return Json.MAPPER.writeValueAsBytes(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree of strings always serialises", e);
    }
  }

  static Envelope parse(byte[] bytes, int maxSignatures) throws Malformed {
    JsonNode root = Json.read(bytes, "envelope");
    if (!root.isObject()) {
      throw new Malformed("envelope must be a JSON object, got " + root.getNodeType().name().toLowerCase());
    }
    String payloadType = Json.text(root, "payloadType", "payloadType");
    String payloadText = Json.text(root, "payload", "payload");
    byte[] payload = decode(payloadText, "payload");
    JsonNode sigs = root.get("signatures");
    if (sigs == null || sigs.isNull()) {
      throw new Malformed("signatures is missing");
    }
    if (!sigs.isArray()) {
      throw new Malformed("signatures must be an array, got " + sigs.getNodeType().name().toLowerCase());
    }
    if (sigs.isEmpty()) {
      throw new Malformed("signatures is empty");
    }
    if (sigs.size() > maxSignatures) {
      throw new Malformed("signatures has " + sigs.size() + " entries, more than the limit of " + maxSignatures);
    }
    List<Sig> out = new ArrayList<>(sigs.size());
    for (int i = 0; i < sigs.size(); i++) {
      JsonNode s = sigs.get(i);
      String path = "signatures[" + i + "]";
      if (!s.isObject()) {
        throw new Malformed(path + " must be an object");
      }
      String keyid = Json.optionalText(s, "keyid", path + ".keyid");
      String sig = Json.text(s, "sig", path + ".sig");
      byte[] sigBytes = decode(sig, path + ".sig");
      if (sigBytes.length == 0) {
        throw new Malformed(path + ".sig is empty");
      }
      out.add(new Sig(keyid, sigBytes));
    }
    return new Envelope(payloadType, payload, out);
  }

  private static byte[] decode(String text, String path) throws Malformed {
    try {
      return Base64Codec.decode(text);
    } catch (IllegalArgumentException e) {
      throw new Malformed(path + " is not valid base64: " + e.getMessage());
    }
  }
}
