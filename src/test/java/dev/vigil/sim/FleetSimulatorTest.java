package dev.vigil.sim;

import static dev.vigil.sim.SimHarness.NOW;
import static dev.vigil.sim.SimHarness.await;
import static dev.vigil.sim.SimHarness.get;
import static dev.vigil.sim.SimHarness.poll;
import static dev.vigil.sim.SimHarness.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.attest.Statement;
import dev.vigil.attest.Verdict;
import dev.vigil.attest.Verification;
import dev.vigil.attest.Verifier;
import dev.vigil.poll.Nonce;
import dev.vigil.score.TargetId;
import io.vertx.core.json.JsonObject;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The reference fleet on ephemeral ports, over real HTTP, checked by the real verifier. */
class FleetSimulatorTest extends SimulatorTestBase {
  static final TargetId AUTH_GREEN = new TargetId("auth-service", "green");
  static final TargetId INTEGRITY_GREEN = new TargetId("integrity-service", "green");
  static final TargetId INTEGRITY_BLUE = new TargetId("integrity-service", "blue");

  static JsonObject json(URI uri) throws Exception {
    HttpResponse<byte[]> r = get(uri);
    assertThat(r.statusCode()).as("status of %s", uri).isEqualTo(200);
    return new JsonObject(text(r));
  }

  private void assertOthersCompliant(TargetId faulty) throws Exception {
    for (TargetId id : sim.targets()) {
      if (!id.equals(faulty)) {
        assertThat(poll(sim, id).verification().verdict()).as("%s", id).isEqualTo(Verdict.COMPLIANT);
      }
    }
  }

  @Nested
  class WithoutFaults {
    @Test
    void runsTheReferenceFleetInBothEnvironments() {
      assertThat(sim.targets()).hasSize(14).startsWith(AUTH_GREEN, new TargetId("auth-service", "blue"));
      assertThat(sim.targets().stream().map(t -> sim.baseUrl(t).getPort()).distinct()).hasSize(14);
      assertThat(sim.baseUrl(AUTH_GREEN).toString()).matches("http://127\\.0\\.0\\.1:\\d+");
      assertThat(sim.attestationUrl(AUTH_GREEN).toString()).isEqualTo(sim.baseUrl(AUTH_GREEN) + "/attestation");
    }

    @Test
    void everyInstanceIsCompliantWithItsOwnKey() throws Exception {
      Set<String> keyIds = new HashSet<>();
      for (TargetId id : sim.targets()) {
        SimHarness.Poll p = poll(sim, id);
        assertThat(p.status()).isEqualTo(200);
        assertThat(SimHarness.isEnvelopeType(p.response())).as("content type").isTrue();
        assertThat(p.verification().verdict()).as("%s: %s", id, p.verification()).isEqualTo(Verdict.COMPLIANT);
        assertThat(p.verification().verifiedKeyIds()).containsExactly(sim.publicKey(id).keyId());
        keyIds.add(sim.publicKey(id).keyId());
      }
      assertThat(keyIds).hasSize(14);
    }

    @Test
    void statementCarriesTheWholePredicate() throws Exception {
      SimHarness.Poll p = poll(sim, INTEGRITY_GREEN);
      Statement st = p.verification().statement();
      assertThat(st.subjectName()).isEqualTo("integrity-service");
      assertThat(st.subjectDigest()).isEqualTo(SimulatorOptions.sha256Hex(SimulatorOptions.DEFAULT_CONSTITUTION_TEXT));
      assertThat(st.service()).isEqualTo("integrity-service");
      assertThat(st.environment()).isEqualTo("green");
      assertThat(st.constitutionalHash()).isEqualTo("cdd01ef066bc6cf2");
      assertThat(st.complianceStatus()).isEqualTo("active");
      assertThat(st.nonce()).isEqualTo(p.nonce());
      assertThat(st.issuedAt()).isEqualTo(NOW);
      assertThat(st.version()).isEqualTo("2.0.0-acge");
      assertThat(st.sequence()).isEqualTo(1L);
      assertThat(st.slo().p95LatencyMs()).isBetween(120.0, 200.0);
      assertThat(st.slo().requestsPerSecond()).isBetween(1100.0, 1300.0);
      assertThat(st.slo().errorRate()).isEqualTo(0.001);
    }

    @Test
    void sequenceGrowsPerInstance() throws Exception {
      assertThat(poll(sim, AUTH_GREEN).verification().statement().sequence()).isEqualTo(1L);
      assertThat(poll(sim, AUTH_GREEN).verification().statement().sequence()).isEqualTo(2L);
      assertThat(poll(sim, AUTH_GREEN).verification().statement().sequence()).isEqualTo(3L);
      assertThat(poll(sim, INTEGRITY_GREEN).verification().statement().sequence()).isEqualTo(1L);
    }

    @Test
    void anotherInstancesKeyDoesNotVerify() throws Exception {
      String nonce = Nonce.fresh();
      byte[] body = get(SimHarness.withNonce(sim.attestationUrl(AUTH_GREEN), nonce)).body();
      Verification v = SimHarness.verifier(sim, INTEGRITY_GREEN)
          .verify(body, SimHarness.expectation(sim, AUTH_GREEN, nonce, NOW));
      assertThat(v.verdict()).isEqualTo(Verdict.UNKNOWN_KEY);
    }

    @Test
    void withoutANonceTheStatementHasNone() throws Exception {
      byte[] body = get(sim.attestationUrl(AUTH_GREEN)).body();
      Verification v = SimHarness.verifier(sim, AUTH_GREEN).verify(body, SimHarness.expectation(sim, AUTH_GREEN, null, NOW));
      assertThat(v.verdict()).isEqualTo(Verdict.COMPLIANT);
      assertThat(v.statement().nonce()).isNull();
    }

    @Test
    void issuedAtIsTheClockTruncatedToSeconds() throws Exception {
      FleetSimulator other = await(FleetSimulator.start(vertx, SimHarness.options()
          .withServices(List.of("auth-service")).withEnvironments(List.of("green"))
          .withClock(java.time.Clock.fixed(NOW.plusMillis(789), java.time.ZoneOffset.UTC))));
      try {
        assertThat(poll(other, AUTH_GREEN).verification().statement().issuedAt()).isEqualTo(NOW);
      } finally {
        await(other.stop());
      }
    }

    @Test
    void countsRequestsPerInstance() throws Exception {
      poll(sim, AUTH_GREEN);
      poll(sim, AUTH_GREEN);
      get(URI.create(sim.baseUrl(AUTH_GREEN) + "/health"));
      assertThat(sim.requests(AUTH_GREEN)).isEqualTo(3);
      assertThat(sim.requests(INTEGRITY_GREEN)).isZero();
    }

    @Test
    void unknownPathIs404AndOtherMethods405() throws Exception {
      assertThat(get(URI.create(sim.baseUrl(AUTH_GREEN) + "/nope")).statusCode()).isEqualTo(404);
      HttpResponse<byte[]> post = SimHarness.send("POST", sim.attestationUrl(AUTH_GREEN), "{}");
      assertThat(post.statusCode()).isEqualTo(405);
      assertThat(post.headers().firstValue("Allow")).contains("GET");
    }

    @Test
    void legacyEndpointsReportTheHashAndCompliance() throws Exception {
      JsonObject health = json(URI.create(sim.baseUrl(INTEGRITY_BLUE) + "/health"));
      assertThat(health.getString("status")).isEqualTo("healthy");
      assertThat(health.getString("service")).isEqualTo("integrity-service");
      assertThat(health.getString("environment")).isEqualTo("blue");
      assertThat(health.getString("constitutional_hash")).isEqualTo("cdd01ef066bc6cf2");
      JsonObject constitutional = json(URI.create(sim.baseUrl(INTEGRITY_BLUE) + "/health/constitutional"));
      assertThat(constitutional.getString("constitutional_compliance")).isEqualTo("active");
      assertThat(constitutional.getString("constitutional_hash")).isEqualTo("cdd01ef066bc6cf2");
    }
  }

  /** Every fault, with the outcome the monitor must reach; a new fault without a case here does not compile. */
  @Nested
  class EveryFault {
    @ParameterizedTest
    @EnumSource(Fault.class)
    void reachesItsVerdictOnlyOnTheFaultyInstance(Fault fault) throws Exception {
      if (fault == Fault.SLOW) {
        await(sim.setFault(INTEGRITY_GREEN, fault, Duration.ofMillis(300)));
      } else {
        await(sim.setFault(INTEGRITY_GREEN, fault));
      }
      assertThat(sim.fault(INTEGRITY_GREEN)).isEqualTo(fault);
      switch (fault) {
        case NONE, SLOW -> assertVerdict(Verdict.COMPLIANT);
        case TAMPERED_HASH -> assertVerdict(Verdict.HASH_MISMATCH);
        case BAD_SIGNATURE -> assertVerdict(Verdict.SIGNATURE_INVALID);
        case UNKNOWN_KEY -> assertVerdict(Verdict.UNKNOWN_KEY);
        case REPLAYED, WRONG_NONCE -> assertVerdict(Verdict.NONCE_MISMATCH);
        case STALE -> assertVerdict(Verdict.STALE);
        case COMPLIANCE_INACTIVE -> assertVerdict(Verdict.COMPLIANCE_INACTIVE);
        case HTTP_500 -> assertThat(poll(sim, INTEGRITY_GREEN).status()).isEqualTo(500);
        case CONNECTION_REFUSED -> assertThatThrownBy(
            () -> get(SimHarness.client(), sim.attestationUrl(INTEGRITY_GREEN))).isInstanceOf(ConnectException.class);
        case OVERSIZED -> {
          SimHarness.Poll p = poll(sim, INTEGRITY_GREEN);
          assertThat(p.response().body().length).isGreaterThan(Verifier.DEFAULT_MAX_BYTES);
          assertThat(p.verification().verdict()).isEqualTo(Verdict.RESPONSE_TOO_LARGE);
        }
        case GARBAGE -> assertVerdict(Verdict.MALFORMED_ENVELOPE);
        case LEGACY -> assertThat(poll(sim, INTEGRITY_GREEN).status()).isEqualTo(404);
        case HIGH_LATENCY_REPORT, HIGH_ERROR_RATE, LOW_THROUGHPUT, SLOW_TRAFFIC -> assertVerdict(Verdict.COMPLIANT);
      }
      assertOthersCompliant(INTEGRITY_GREEN);
      await(sim.clearFault(INTEGRITY_GREEN));
      assertThat(poll(sim, INTEGRITY_GREEN).verification().verdict()).isEqualTo(Verdict.COMPLIANT);
    }

    private void assertVerdict(Verdict expected) throws Exception {
      SimHarness.Poll p = poll(sim, INTEGRITY_GREEN);
      assertThat(p.status()).isEqualTo(200);
      assertThat(p.verification().verdict()).as("%s", p.verification()).isEqualTo(expected);
    }
  }

  @Nested
  class IntegrityFaults {
    @Test
    void tamperedHashIsSignedAndShowsInTheLegacyHealthToo() throws Exception {
      await(sim.setFault(INTEGRITY_GREEN, Fault.TAMPERED_HASH));
      Verification v = poll(sim, INTEGRITY_GREEN).verification();
      assertThat(v.signed()).isTrue();
      assertThat(v.statement().constitutionalHash()).isEqualTo("deadbeefdeadbeef");
      assertThat(json(URI.create(sim.baseUrl(INTEGRITY_GREEN) + "/health")).getString("constitutional_hash"))
          .isEqualTo("deadbeefdeadbeef");
      assertThat(json(URI.create(sim.baseUrl(INTEGRITY_BLUE) + "/health")).getString("constitutional_hash"))
          .isEqualTo("cdd01ef066bc6cf2");
    }

    @Test
    void badSignatureKeepsTheTrustedKeyidHint() throws Exception {
      await(sim.setFault(INTEGRITY_GREEN, Fault.BAD_SIGNATURE));
      SimHarness.Poll p = poll(sim, INTEGRITY_GREEN);
      assertThat(text(p.response())).contains(sim.publicKey(INTEGRITY_GREEN).keyId());
      assertThat(p.verification().detail()).contains("does not verify");
    }

    @Test
    void unknownKeySignsWithAnotherKey() throws Exception {
      await(sim.setFault(INTEGRITY_GREEN, Fault.UNKNOWN_KEY));
      SimHarness.Poll p = poll(sim, INTEGRITY_GREEN);
      assertThat(p.verification().verdict()).isEqualTo(Verdict.UNKNOWN_KEY);
      assertThat(text(p.response())).doesNotContain(sim.publicKey(INTEGRITY_GREEN).keyId());
    }

    @Test
    void replayedReturnsTheFirstGenuineEnvelopeByteForByte() throws Exception {
      SimHarness.Poll first = poll(sim, INTEGRITY_GREEN);
      poll(sim, INTEGRITY_GREEN);
      await(sim.setFault(INTEGRITY_GREEN, Fault.REPLAYED));
      SimHarness.Poll replay = poll(sim, INTEGRITY_GREEN);
      assertThat(replay.verification().verdict()).isEqualTo(Verdict.NONCE_MISMATCH);
      assertThat(replay.response().body()).isEqualTo(first.response().body());
      // Genuine: it verifies against the nonce it was made for.
      Verification original = SimHarness.verifier(sim, INTEGRITY_GREEN).verify(replay.response().body(),
          SimHarness.expectation(sim, INTEGRITY_GREEN, first.nonce(), NOW));
      assertThat(original.verdict()).isEqualTo(Verdict.COMPLIANT);
      assertThat(original.statement().sequence()).isEqualTo(1L);
    }

    @Test
    void replayedBeforeAnyRequestStillReplaysOneFixedEnvelope() throws Exception {
      await(sim.setFault(INTEGRITY_GREEN, Fault.REPLAYED));
      SimHarness.Poll a = poll(sim, INTEGRITY_GREEN);
      SimHarness.Poll b = poll(sim, INTEGRITY_GREEN);
      assertThat(a.verification().verdict()).isEqualTo(Verdict.NONCE_MISMATCH);
      assertThat(b.response().body()).isEqualTo(a.response().body());
    }

    @Test
    void staleIsTenMinutesOld() throws Exception {
      await(sim.setFault(INTEGRITY_GREEN, Fault.STALE));
      Verification v = poll(sim, INTEGRITY_GREEN).verification();
      assertThat(v.detail()).contains("600 s behind");
    }

    @Test
    void wrongNonceEchoesAnotherNonce() throws Exception {
      await(sim.setFault(INTEGRITY_GREEN, Fault.WRONG_NONCE));
      String nonce = Nonce.fresh();
      byte[] body = get(SimHarness.withNonce(sim.attestationUrl(INTEGRITY_GREEN), nonce)).body();
      Verification unchecked = SimHarness.verifier(sim, INTEGRITY_GREEN).verify(body,
          SimHarness.expectation(sim, INTEGRITY_GREEN, null, NOW));
      assertThat(unchecked.verdict()).isEqualTo(Verdict.COMPLIANT);
      assertThat(unchecked.statement().nonce()).hasSize(43).isNotEqualTo(nonce);
    }

    @Test
    void complianceInactiveShowsInTheLegacyEndpointToo() throws Exception {
      await(sim.setFault(INTEGRITY_GREEN, Fault.COMPLIANCE_INACTIVE));
      assertThat(poll(sim, INTEGRITY_GREEN).verification().statement().complianceStatus()).isEqualTo("inactive");
      assertThat(json(URI.create(sim.baseUrl(INTEGRITY_GREEN) + "/health/constitutional"))
          .getString("constitutional_compliance")).isEqualTo("inactive");
    }
  }

  @Nested
  class SloFaults {
    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"HIGH_LATENCY_REPORT", "HIGH_ERROR_RATE", "LOW_THROUGHPUT"})
    void areCompliantButReportTheBadValue(Fault fault) throws Exception {
      await(sim.setFault(INTEGRITY_GREEN, fault));
      Verification v = poll(sim, INTEGRITY_GREEN).verification();
      assertThat(v.verdict()).isEqualTo(Verdict.COMPLIANT);
      Statement.Slo slo = v.statement().slo();
      assertThat(slo.p95LatencyMs()).isEqualTo(fault == Fault.HIGH_LATENCY_REPORT ? 5000.0 : slo.p95LatencyMs());
      if (fault != Fault.HIGH_LATENCY_REPORT) {
        assertThat(slo.p95LatencyMs()).isBetween(120.0, 200.0);
      }
      assertThat(slo.errorRate()).isEqualTo(fault == Fault.HIGH_ERROR_RATE ? 0.2 : 0.001);
      if (fault == Fault.LOW_THROUGHPUT) {
        assertThat(slo.requestsPerSecond()).isEqualTo(10.0);
      } else {
        assertThat(slo.requestsPerSecond()).isBetween(1100.0, 1300.0);
      }
    }
  }

  @Nested
  class Isolation {
    @Test
    void differentFaultsOnDifferentInstancesStayApart() throws Exception {
      await(sim.setFault(INTEGRITY_GREEN, Fault.TAMPERED_HASH));
      await(sim.setFault(AUTH_GREEN, Fault.STALE));
      assertThat(poll(sim, INTEGRITY_GREEN).verification().verdict()).isEqualTo(Verdict.HASH_MISMATCH);
      assertThat(poll(sim, AUTH_GREEN).verification().verdict()).isEqualTo(Verdict.STALE);
      assertThat(poll(sim, INTEGRITY_BLUE).verification().verdict()).isEqualTo(Verdict.COMPLIANT);
      await(sim.clearAll());
      for (TargetId id : sim.targets()) {
        assertThat(sim.fault(id)).isEqualTo(Fault.NONE);
        assertThat(poll(sim, id).verification().verdict()).as("%s", id).isEqualTo(Verdict.COMPLIANT);
      }
    }

    @Test
    void unknownTargetsAndMisplacedDelaysAreRejected() {
      TargetId purple = new TargetId("integrity-service", "purple");
      assertThatThrownBy(() -> sim.setFault(purple, Fault.STALE))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("integrity-service/purple");
      assertThatThrownBy(() -> sim.setFault(AUTH_GREEN, Fault.STALE, Duration.ofMillis(5)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only to the faults slow and slow_traffic");
      assertThatThrownBy(() -> sim.setFault(AUTH_GREEN, Fault.SLOW, Duration.ofMillis(-1)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(EnumSet.allOf(Fault.class)).allSatisfy(f -> assertThat(Fault.fromWireName(f.wireName())).isEqualTo(f));
    }
  }
}
