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
}
