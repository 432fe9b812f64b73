package dev.vigil.events;

import static dev.vigil.events.EventFixtures.MONITOR_KEY;
import static dev.vigil.events.EventFixtures.STRANGER_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.attest.Signer;
import dev.vigil.attest.TrustStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

class EventCodecTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-11-26T18:01:00Z");
  private static final TrustStore TRUSTED = TrustStore.of(MONITOR_KEY.trusted());
  private final EventCodec codec = new EventCodec(MONITOR_KEY);

  @Test
  void aBreachEventHasExactlyTheFieldsOfEventsV1() throws Exception {
    CloudEvent e = EventFixtures.event(EventFixtures.opened("integrity-service", 0));
    JsonNode j = JSON.readTree(EventCodec.toJson(e));
    assertThat(fieldNames(j)).containsExactly("specversion", "id", "source", "type", "subject", "time",
        "datacontenttype", "data");
    assertThat(j.get("specversion").asText()).isEqualTo("1.0");
    assertThat(j.get("source").asText()).isEqualTo("vigil://monitor/monitor-0");
    assertThat(j.get("type").asText()).isEqualTo("dev.vigil.breach.opened");
    assertThat(j.get("subject").asText()).isEqualTo("integrity-service");
    assertThat(j.get("time").asText()).isEqualTo("2026-11-26T18:00:31.204Z");
    assertThat(j.get("datacontenttype").asText()).isEqualTo("application/json");
    assertThat(UUID.fromString(j.get("id").asText()).version()).isEqualTo(7);
    JsonNode d = j.get("data");
    assertThat(fieldNames(d)).containsExactly("breachId", "service", "environment", "rule", "severity", "verdict",
        "observed", "expected", "complianceScore", "windowSeconds", "consecutiveFailures", "openedAt", "resolvedAt",
        "monitor");
    assertThat(d.get("breachId").asText()).isEqualTo("b-integrity-service-green-hash_mismatch-20261126T180031Z");
    assertThat(d.get("severity").asText()).isEqualTo("critical");
    assertThat(d.get("verdict").asText()).isEqualTo("hash_mismatch");
    assertThat(d.get("complianceScore").asDouble()).isEqualTo(0.833);
    assertThat(d.get("windowSeconds").asLong()).isEqualTo(180);
    assertThat(d.get("openedAt").asText()).isEqualTo("2026-11-26T18:00:31.204Z");
    assertThat(d.get("resolvedAt").isNull()).isTrue();
    assertThat(d.get("monitor").asText()).isEqualTo("monitor-0");
  }

  @Test
  void signedRoundTripVerifiesAndParsesBack() {
    CloudEvent e = EventFixtures.event(EventFixtures.resolved("auth-service", 3));
    SignedEvent s = codec.sign(e);
    assertThat(s.key()).isEqualTo("auth-service");
    assertThat(s.id()).isEqualTo(e.id());
    EventCodec.Decoded d = EventCodec.verify(s.value(), TRUSTED, NOW);
    assertThat(d).isEqualTo(new EventCodec.Accepted(e, MONITOR_KEY.keyId()));
    BreachData data = (BreachData) ((EventCodec.Accepted) d).event().data();
    assertThat(data.resolvedAt()).isEqualTo(Instant.parse("2026-11-26T18:01:04.204Z"));
    assertThat(((EventCodec.Accepted) d).event().time()).isEqualTo(data.resolvedAt());
  }

  @Test
  void theEnvelopeIsDsseWithTheCloudEventsPayloadType() throws Exception {
    SignedEvent s = codec.sign(EventFixtures.event(EventFixtures.opened("auth-service", 0)));
    JsonNode env = JSON.readTree(s.value());
    assertThat(env.get("payloadType").asText()).isEqualTo("application/cloudevents+json");
    assertThat(env.get("signatures").get(0).get("keyid").asText()).isEqualTo(MONITOR_KEY.keyId());
    byte[] payload = Base64.getDecoder().decode(env.get("payload").asText());
    assertThat(JSON.readTree(payload).get("id").asText()).isEqualTo(s.id());
  }

  @Test
  void theEnvelopeIsCompactJsonOnOneLine() throws Exception {
    SignedEvent s = codec.sign(EventFixtures.event(EventFixtures.opened("auth-service", 0)));
    String text = new String(s.value(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(text).doesNotContain("\n").doesNotContain("\r").startsWith("{\"payloadType\":\"");
    assertThat(text).as("no insignificant whitespace: the same bytes as Jackson's compact form of the tree")
        .isEqualTo(JSON.writeValueAsString(JSON.readTree(s.value())));
  }

  @Test
  void theHeadersAreThoseOfEventsV1() {
    SignedEvent s = codec.sign(EventFixtures.event(EventFixtures.opened("auth-service", 0)));
    List<Header> h = s.headers();
    assertThat(h).extracting(Header::key).containsExactly("content-type", "ce_id", "ce_type", "ce_source",
        "ce_specversion");
    assertThat(h).extracting(x -> new String(x.value(), StandardCharsets.UTF_8)).containsExactly(
        "application/vnd.dsse.envelope.v1+json", s.id(), "dev.vigil.breach.opened", "vigil://monitor/monitor-0", "1.0");
    assertThat(s.toRecord("constitutional.breaches").key()).isEqualTo("auth-service".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aStrangersSignatureIsRejectedAsUntrusted() {
    SignedEvent forged = new EventCodec(STRANGER_KEY).sign(EventFixtures.event(EventFixtures.opened("auth-service", 0)));
    assertThat(EventCodec.verify(forged.value(), TRUSTED, NOW)).isInstanceOfSatisfying(EventCodec.Rejected.class,
        r -> assertThat(r.reason()).isEqualTo(EventCodec.Reason.UNTRUSTED_EVENT));
  }

  @Test
  void aTamperedEventIsRejectedAsUntrusted() throws Exception {
    SignedEvent s = codec.sign(EventFixtures.event(EventFixtures.opened("auth-service", 0)));
    ObjectNode env = (ObjectNode) JSON.readTree(s.value());
    String payload = new String(Base64.getDecoder().decode(env.get("payload").asText()), StandardCharsets.UTF_8);
    env.put("payload", Base64.getEncoder().encodeToString(
        payload.replace("auth-service", "auth-servicf").getBytes(StandardCharsets.UTF_8)));
    assertThat(EventCodec.verify(JSON.writeValueAsBytes(env), TRUSTED, NOW)).isInstanceOfSatisfying(
        EventCodec.Rejected.class, r -> assertThat(r.reason()).isEqualTo(EventCodec.Reason.UNTRUSTED_EVENT));
  }

  @Test
  void anUnsignedOrGarbageMessageIsRejectedAsMalformed() {
    for (String bad : new String[] {"", "{}", "not json", "{\"payloadType\":\"application/cloudevents+json\","
        + "\"payload\":\"e30=\",\"signatures\":[]}"}) {
      assertThat(EventCodec.verify(bad.getBytes(StandardCharsets.UTF_8), TRUSTED, NOW))
          .isInstanceOfSatisfying(EventCodec.Rejected.class,
              r -> assertThat(r.reason()).isEqualTo(EventCodec.Reason.MALFORMED));
    }
  }

  @Test
  void aSignedButMalformedCloudEventIsRejectedAsMalformed() {
    for (String bad : new String[] {"{}", "{\"specversion\":\"0.3\"}", "[]",
        "{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"s\",\"type\":\"dev.other\",\"time\":\"2026-01-01T00:00:00Z\",\"data\":{}}",
        "{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"s\",\"type\":\"dev.vigil.breach.opened\",\"time\":\"2026-01-01T00:00:00Z\",\"data\":{\"breachId\":1}}"}) {
      byte[] env = new Signer(MONITOR_KEY).sign(CloudEvent.PAYLOAD_TYPE, bad.getBytes(StandardCharsets.UTF_8)).toJson();
      assertThat(EventCodec.verify(env, TRUSTED, NOW)).as(bad).isInstanceOfSatisfying(EventCodec.Rejected.class,
          r -> assertThat(r.reason()).isEqualTo(EventCodec.Reason.MALFORMED));
    }
  }

  @Test
  void aSignedEventInAnotherEncodingThanUtf8IsMalformed() throws Exception {
    CloudEvent e = new CloudEvent(UuidV7.next().toString(), "vigil://monitor/monitor-0", CloudEvent.ROLLBACK_FINISHED,
        "integrity-service", NOW, new RollbackFinished("r-1", "b-x", "e-1", "integrity-service", "green", "blue",
            RollbackFinished.Status.SUCCEEDED, "ok", NOW, NOW, 0));
    String json = new String(Base64.getDecoder().decode(JSON.readTree(codec.sign(e).value()).get("payload").asText()),
        StandardCharsets.UTF_8);
    for (byte[] payload : new byte[][] {json.getBytes(StandardCharsets.UTF_16LE),
        ("\uFEFF" + json).getBytes(StandardCharsets.UTF_8)}) {
      byte[] env = new Signer(MONITOR_KEY).sign(CloudEvent.PAYLOAD_TYPE, payload).toJson();
      assertThat(EventCodec.verify(env, TRUSTED, NOW)).isInstanceOfSatisfying(EventCodec.Rejected.class, r -> {
        assertThat(r.reason()).isEqualTo(EventCodec.Reason.MALFORMED);
        assertThat(r.detail()).startsWith("event is not UTF-8 JSON");
      });
    }
  }

  @Test
  void aRollbackFinishedEventRoundTrips() {
    RollbackFinished data = new RollbackFinished("r-0193f1d3", "b-x", "0193f1d2-7c1e-7a4b-9c55-3f1e2d4c5b6a",
        "integrity-service", "green", "blue", RollbackFinished.Status.SUCCEEDED, "blue attested compliant 2 times in a row",
        Instant.parse("2026-11-26T18:00:31.410Z"), Instant.parse("2026-11-26T18:00:33.950Z"), 2540);
    CloudEvent e = new CloudEvent(UuidV7.next().toString(), "vigil://rollback-controller/rc-0",
        CloudEvent.ROLLBACK_FINISHED, "integrity-service", data.finishedAt(), data);
    assertThat(EventCodec.verify(codec.sign(e).value(), TRUSTED, NOW))
        .isEqualTo(new EventCodec.Accepted(e, MONITOR_KEY.keyId()));
  }

  @Test
  void idsAreUniqueAndIncreasing() {
    Set<UUID> seen = new HashSet<>();
    UUID last = null;
    for (int i = 0; i < 20_000; i++) {
      UUID u = UuidV7.next();
      assertThat(seen.add(u)).isTrue();
      if (last != null) {
        assertThat(u.toString()).isGreaterThan(last.toString());
      }
      last = u;
    }
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> out = new java.util.ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
