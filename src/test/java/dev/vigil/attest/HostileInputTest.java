package dev.vigil.attest;

import static dev.vigil.attest.Fixtures.expect;
import static dev.vigil.attest.Fixtures.statement;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile input never escapes as an exception: it becomes a verdict whose detail names the problem.
 * Linear time is by construction (size cap before parsing, bounded nesting and number length); the
 * cases here are the inputs that would break a naive parser.
 */
class HostileInputTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final SigningKey key = Fixtures.key(Scheme.ED25519);
  private final Verifier verifier = Fixtures.verifier(key.trusted());
  private final Verifier roomy = new Verifier(TrustStore.of(key.trusted()), 16 * 1024 * 1024, 8);

  private Verification verify(String body) {
    return verifier.verify(body.getBytes(StandardCharsets.UTF_8), expect());
  }

  @Nested
  class RawBytes {
    @Test
    void randomBytesAreMalformedNeverThrown() {
      Random r = new Random(42);
      for (int i = 0; i < 2_000; i++) {
        byte[] b = new byte[r.nextInt(2_000)];
        r.nextBytes(b);
        Verification v = verifier.verify(b, expect());
        assertThat(v.verdict()).isEqualTo(Verdict.MALFORMED_ENVELOPE);
      }
    }

    @Test
    void emptyBody() {
      assertThat(verify("").detail()).contains("envelope is empty");
    }

    @Test
    void tenMegabytesOverTheCapIsTooLargeUnread() {
      byte[] big = new byte[10 * 1024 * 1024];
      Arrays.fill(big, (byte) '[');
      assertThat(verifier.verify(big, expect()).verdict()).isEqualTo(Verdict.RESPONSE_TOO_LARGE);
    }

    @Test
    void tenMegabytesUnderARaisedCapStillEndsInAVerdict() {
      byte[] nested = new byte[10 * 1024 * 1024];
      Arrays.fill(nested, (byte) '[');
      Verification deep = roomy.verify(nested, expect());
      assertThat(deep.verdict()).isEqualTo(Verdict.MALFORMED_ENVELOPE);
      assertThat(deep.detail()).contains("parser limit");

      String hugePayload = "A".repeat(10 * 1024 * 1024 - 200);
      String env = "{\"payloadType\":\"" + Envelope.IN_TOTO + "\",\"payload\":\"" + hugePayload
          + "\",\"signatures\":[{\"sig\":\"" + "A".repeat(86) + "\"}]}";
      Verification v = roomy.verify(env.getBytes(StandardCharsets.US_ASCII), expect());
      assertThat(v.verdict()).isEqualTo(Verdict.UNKNOWN_KEY);
    }
  }

  @Nested
  class JsonShapes {
    @Test
    void deepNestingIsRejectedByTheParserLimit() {
      Verification v = verify("{\"payloadType\":" + "[".repeat(20_000) + "]".repeat(20_000) + "}");
      assertThat(v.verdict()).isEqualTo(Verdict.MALFORMED_ENVELOPE);
      assertThat(v.detail()).contains("parser limit");
    }

    @Test
    void hugeNumbersAreRejectedByTheParserLimit() {
      Verification v = verify("{\"payloadType\":" + "9".repeat(50_000) + "}");
      assertThat(v.verdict()).isEqualTo(Verdict.MALFORMED_ENVELOPE);
      assertThat(v.detail()).contains("parser limit");
    }

    @Test
    void duplicateKeysAreRejected() {
      String env = new String(Fixtures.signed(statement(), key), StandardCharsets.UTF_8);
      String dup = env.replaceFirst("\\{", "{\"payloadType\":\"application/json\",");
      Verification v = verify(dup);
      assertThat(v.verdict()).isEqualTo(Verdict.MALFORMED_ENVELOPE);
      assertThat(v.detail()).containsIgnoringCase("duplicate");
    }

    @Test
    void trailingDataIsRejected() {
      String env = new String(Fixtures.signed(statement(), key), StandardCharsets.UTF_8);
      assertThat(verify(env + " {}").verdict()).isEqualTo(Verdict.MALFORMED_ENVELOPE);
      assertThat(verify(env + "\n").verdict()).isEqualTo(Verdict.COMPLIANT);
    }

    @Test
    void tooManySignaturesAreRejectedBeforeAnyIsChecked() {
      StringBuilder sigs = new StringBuilder();
      for (int i = 0; i < 9; i++) {
        sigs.append(i == 0 ? "" : ",").append("{\"sig\":\"AAAA\"}");
      }
      Verification v = verify("{\"payloadType\":\"x\",\"payload\":\"\",\"signatures\":[" + sigs + "]}");
      assertThat(v.detail()).contains("more than the limit of 8");
    }
  }

  @Nested
  class WrongTypesInTheEnvelope {
    private final List<JsonNode> wrongValues = List.of(JSON.getNodeFactory().numberNode(1),
        JSON.getNodeFactory().booleanNode(true), JSON.createArrayNode(), JSON.createObjectNode());

    private ObjectNode envelope() throws Exception {
      return (ObjectNode) JSON.readTree(Fixtures.signed(statement(), key));
    }

    @ParameterizedTest
    @ValueSource(strings = {"payloadType", "payload", "signatures", "signatures[0]", "signatures[0].sig", "signatures[0].keyid"})
    void everyFieldWithEveryWrongTypeIsMalformedAndNamed(String path) throws Exception {
      for (JsonNode wrong : wrongValues) {
        if (path.equals("signatures") && wrong.isArray() || path.equals("signatures[0]") && wrong.isObject()) {
          continue;
        }
        ObjectNode env = envelope();
        set(env, path, wrong);
        Verification v = verifier.verify(JSON.writeValueAsBytes(env), expect());
        assertThat(v.verdict()).as(path + "=" + wrong).isEqualTo(Verdict.MALFORMED_ENVELOPE);
        assertThat(v.detail()).as(path + "=" + wrong).containsAnyOf(path, "signatures is empty");
      }
    }

    @ParameterizedTest
    @ValueSource(strings = {"payloadType", "payload", "signatures", "signatures[0].sig"})
    void missingRequiredFieldsAreNamed(String path) throws Exception {
      ObjectNode env = envelope();
      if (path.startsWith("signatures[0].")) {
        ((ObjectNode) env.get("signatures").get(0)).remove("sig");
      } else {
        env.remove(path);
      }
      Verification v = verifier.verify(JSON.writeValueAsBytes(env), expect());
      assertThat(v.verdict()).isEqualTo(Verdict.MALFORMED_ENVELOPE);
      assertThat(v.detail()).isEqualTo(path + " is missing");
    }

    private void set(ObjectNode env, String path, JsonNode value) {
      switch (path) {
        case "signatures[0]" -> ((ArrayNode) env.get("signatures")).set(0, value);
        case "signatures[0].sig" -> ((ObjectNode) env.get("signatures").get(0)).set("sig", value);
        case "signatures[0].keyid" -> ((ObjectNode) env.get("signatures").get(0)).set("keyid", value);
        default -> env.set(path, value);
      }
    }
  }

  @Nested
  class WrongTypesInTheStatement {
    private final List<JsonNode> wrongValues = List.of(JSON.getNodeFactory().numberNode(1e308),
        JSON.getNodeFactory().booleanNode(false), JSON.createArrayNode(), JSON.getNodeFactory().textNode("x"));

    @ParameterizedTest
    @ValueSource(strings = {"_type", "subject", "subject[0]", "subject[0].name", "subject[0].digest",
        "subject[0].digest.sha256", "predicateType", "predicate", "predicate.service", "predicate.environment",
        "predicate.constitutionalHash", "predicate.complianceStatus", "predicate.nonce", "predicate.issuedAt",
        "predicate.version", "predicate.sequence", "predicate.slo", "predicate.slo.p95LatencyMs",
        "predicate.slo.requestsPerSecond", "predicate.slo.errorRate"})
    void everyFieldWithAWrongTypeIsAMalformedStatement(String path) throws Exception {
      int tried = 0;
      for (JsonNode wrong : wrongValues) {
        ObjectNode st = (ObjectNode) JSON.readTree(statement().toJson());
        JsonNode current = at(st, path);
        if (current.getNodeType() == wrong.getNodeType()) {
          continue;
        }
        put(st, path, wrong);
        byte[] body = new Signer(key).sign(Envelope.IN_TOTO, JSON.writeValueAsBytes(st)).toJson();
        Verification v = verifier.verify(body, expect());
        assertThat(v.verdict()).as(path + "=" + wrong + ": " + v.detail()).isEqualTo(Verdict.MALFORMED_STATEMENT);
        tried++;
      }
      assertThat(tried).isGreaterThanOrEqualTo(2);
    }

    @Test
    void hugeAndNegativeNumbersInTheSloAreRejected() throws Exception {
      for (String bad : new String[] {"1e999", "-1", "1" + "0".repeat(70)}) {
        String json = new String(statement().toJson(), StandardCharsets.UTF_8).replace("\"errorRate\":0.001", "\"errorRate\":" + bad);
        byte[] body = new Signer(key).sign(Envelope.IN_TOTO, json.getBytes(StandardCharsets.UTF_8)).toJson();
        Verification v = verifier.verify(body, expect());
        assertThat(v.verdict()).as(bad).isEqualTo(Verdict.MALFORMED_STATEMENT);
        assertThat(v.detail()).as(bad).contains("errorRate");
      }
    }

    private static JsonNode at(JsonNode root, String path) {
      JsonNode n = root;
      for (String part : path.split("\\.")) {
        n = part.endsWith("[0]") ? n.get(part.substring(0, part.length() - 3)).get(0) : n.get(part);
      }
      return n;
    }

    private static void put(ObjectNode root, String path, JsonNode value) {
      int dot = path.lastIndexOf('.');
      String last = path.substring(dot + 1);
      JsonNode parent = dot < 0 ? root : at(root, path.substring(0, dot));
      if (last.endsWith("[0]")) {
        ((ArrayNode) parent.get(last.substring(0, last.length() - 3))).set(0, value);
      } else {
        ((ObjectNode) parent).set(last, value);
      }
    }
  }

  @Nested
  class ExtremeNumbers {
    @ParameterizedTest
    @ValueSource(strings = {"{\"x\":1e999999999999}", "{\"x\":-1E-999999999999}", "{\"x\":1e2147483648}",
        "{\"payloadType\":1e999999999}", "[1e999999999999]"})
    void anExponentBeyondAnyNumberTypeIsMalformedNotAnException(String body) {
      Verification v = verify(body);
      assertThat(v.verdict()).isEqualTo(Verdict.MALFORMED_ENVELOPE);
      assertThat(DsseVerifier.verify(body.getBytes(StandardCharsets.UTF_8), "application/cloudevents+json",
          TrustStore.of(key.trusted()), Fixtures.NOW))
          .isInstanceOfSatisfying(DsseVerifier.Failed.class,
              f -> assertThat(f.failure()).isEqualTo(DsseVerifier.Failure.MALFORMED));
    }

    @Test
    void anExtremeExponentInTheSignedStatementIsAMalformedStatement() {
      String json = new String(statement().toJson(), StandardCharsets.UTF_8)
          .replace("\"errorRate\":0.001", "\"errorRate\":1e999999999999");
      byte[] body = new Signer(key).sign(Envelope.IN_TOTO, json.getBytes(StandardCharsets.UTF_8)).toJson();
      Verification v = verifier.verify(body, expect());
      assertThat(v.verdict()).isEqualTo(Verdict.MALFORMED_STATEMENT);
      assertThat(v.detail()).contains("/predicate/slo/errorRate");
    }
  }

  @Nested
  class Encodings {
    private final String envelope = new String(Fixtures.signed(statement(), key), StandardCharsets.UTF_8);

    private byte[] bom(byte[] utf8) {
      byte[] out = new byte[utf8.length + 3];
      out[0] = (byte) 0xEF;
      out[1] = (byte) 0xBB;
      out[2] = (byte) 0xBF;
      System.arraycopy(utf8, 0, out, 3, utf8.length);
      return out;
    }

    @Test
    void theEnvelopeInUtf16OrUtf32OrWithABomIsMalformed() {
      assertThat(verifier.verify(envelope.getBytes(StandardCharsets.UTF_8), expect()).verdict()).isEqualTo(Verdict.COMPLIANT);
      for (byte[] body : List.of(envelope.getBytes(StandardCharsets.UTF_16LE), envelope.getBytes(StandardCharsets.UTF_16BE),
          envelope.getBytes(java.nio.charset.Charset.forName("UTF-32BE")), bom(envelope.getBytes(StandardCharsets.UTF_8)))) {
        Verification v = verifier.verify(body, expect());
        assertThat(v.verdict()).isEqualTo(Verdict.MALFORMED_ENVELOPE);
        assertThat(v.detail()).startsWith("envelope is not UTF-8 JSON");
      }
    }

    @Test
    void aSignedStatementInUtf16OrUtf32OrWithABomIsAMalformedStatement() {
      String st = new String(statement().toJson(), StandardCharsets.UTF_8);
      for (byte[] payload : List.of(st.getBytes(StandardCharsets.UTF_16LE),
          st.getBytes(java.nio.charset.Charset.forName("UTF-32BE")), bom(st.getBytes(StandardCharsets.UTF_8)))) {
        Verification v = verifier.verify(new Signer(key).sign(Envelope.IN_TOTO, payload).toJson(), expect());
        assertThat(v.verdict()).isEqualTo(Verdict.MALFORMED_STATEMENT);
        assertThat(v.detail()).startsWith("statement is not UTF-8 JSON");
      }
    }

    @ParameterizedTest
    @ValueSource(strings = {"C080", "E08080", "EDA080", "F4908080", "FF", "80", "E282"})
    void invalidOrOverlongUtf8InsideAStringIsMalformed(String hex) {
      byte[] bad = java.util.HexFormat.of().parseHex(hex);
      byte[] head = "{\"payloadType\":\"".getBytes(StandardCharsets.UTF_8);
      byte[] tail = "\"}".getBytes(StandardCharsets.UTF_8);
      byte[] body = new byte[head.length + bad.length + tail.length];
      System.arraycopy(head, 0, body, 0, head.length);
      System.arraycopy(bad, 0, body, head.length, bad.length);
      System.arraycopy(tail, 0, body, head.length + bad.length, tail.length);
      Verification v = verifier.verify(body, expect());
      assertThat(v.verdict()).isEqualTo(Verdict.MALFORMED_ENVELOPE);
      assertThat(v.detail()).contains("invalid UTF-8 sequence at offset " + head.length);
    }

    @Test
    void wellFormedMultiByteTextIsAccepted() {
      assertThat(Utf8.problem("{\"a\":\"é € 𝄞\"}".getBytes(StandardCharsets.UTF_8))).isNull();
    }
  }

  @Nested
  class IssuedAt {
    private Verification withIssuedAt(String text) {
      String json = new String(statement().toJson(), StandardCharsets.UTF_8)
          .replace("\"issuedAt\":\"2026-11-26T18:00:00Z\"", "\"issuedAt\":\"" + text + "\"");
      assertThat(json).contains(text);
      return verifier.verify(new Signer(key).sign(Envelope.IN_TOTO, json.getBytes(StandardCharsets.UTF_8)).toJson(), expect());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-26T20:00:00+02:00", "2026-11-26T18:00:00+00:00", "2026-11-26t18:00:00Z",
        "2026-11-26T18:00:00z", "2026-11-26 18:00:00Z", "2026-11-26T18:00Z", "2026-11-26T18:00:00.Z",
        "2026-13-26T18:00:00Z", "2026-11-26T18:00:00.1234567891Z"})
    void onlyTheUppercaseUtcFormIsAccepted(String text) {
      Verification v = withIssuedAt(text);
      assertThat(v.verdict()).as(text).isEqualTo(Verdict.MALFORMED_STATEMENT);
      assertThat(v.detail()).as(text).startsWith("predicate.issuedAt");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-26T18:00:00Z", "2026-11-26T18:00:00.5Z", "2026-11-26T18:00:00.123456789Z"})
    void theUtcFormWithOrWithoutAFractionIsAccepted(String text) {
      assertThat(withIssuedAt(text).verdict()).as(text).isEqualTo(Verdict.COMPLIANT);
    }
  }

  @Nested
  class SignatureCheckBudget {
    private final List<SigningKey> keys = List.of(Fixtures.ed25519(0), Fixtures.ed25519(1), Fixtures.ed25519(2),
        Fixtures.ed25519(3));

    private byte[] junkSignatures(int count) {
      List<Envelope.Sig> sigs = new java.util.ArrayList<>();
      for (int i = 0; i < count; i++) {
        sigs.add(new Envelope.Sig("", new byte[64]));
      }
      return new Envelope(Envelope.IN_TOTO, statement().toJson(), sigs).toJson();
    }

    private TrustStore store() {
      return TrustStore.of(keys.stream().map(SigningKey::trusted).toList());
    }

    @Test
    void signaturesTimesKeysOverTheBudgetIsMalformedBeforeAnyCheck() {
      Verifier v = new Verifier(store(), Verifier.DEFAULT_MAX_BYTES, 8, 31);
      Verification r = v.verify(junkSignatures(8), expect());
      assertThat(r.verdict()).isEqualTo(Verdict.MALFORMED_ENVELOPE);
      assertThat(r.detail()).isEqualTo("8 signature(s) against 4 trusted key(s) need 32 signature checks,"
          + " more than the limit of 31 (maxSignatureChecks)");
    }

    @Test
    void withinTheBudgetEverySignatureIsChecked() {
      Verifier v = new Verifier(store(), Verifier.DEFAULT_MAX_BYTES, 8, 32);
      assertThat(v.verify(junkSignatures(8), expect()).verdict()).isEqualTo(Verdict.UNKNOWN_KEY);
      byte[] good = Fixtures.signed(statement(), keys.get(3));
      assertThat(v.verify(good, expect()).verdict()).isEqualTo(Verdict.COMPLIANT);
    }

    @Test
    void theDefaultBudgetIsEightSignaturesAgainstFourKeys() {
      Verifier v = new Verifier(store(), Verifier.DEFAULT_MAX_BYTES, 8);
      assertThat(v.verify(junkSignatures(8), expect()).verdict()).isEqualTo(Verdict.UNKNOWN_KEY);
      Verifier five = new Verifier(TrustStore.of(keys.get(0).trusted(), keys.get(1).trusted(), keys.get(2).trusted(),
          keys.get(3).trusted(), key.trusted()), Verifier.DEFAULT_MAX_BYTES, 8);
      assertThat(five.verify(junkSignatures(7), expect()).detail()).contains("more than the limit of 32");
    }
  }
}
