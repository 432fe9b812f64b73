package dev.vigil.sim;

import static dev.vigil.sim.FleetSimulatorTest.INTEGRITY_BLUE;
import static dev.vigil.sim.FleetSimulatorTest.INTEGRITY_GREEN;
import static dev.vigil.sim.FleetSimulatorTest.json;
import static dev.vigil.sim.SimHarness.await;
import static dev.vigil.sim.SimHarness.get;
import static dev.vigil.sim.SimHarness.poll;
import static dev.vigil.sim.SimHarness.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.attest.TrustStore;
import dev.vigil.attest.TrustedKey;
import dev.vigil.attest.Verdict;
import dev.vigil.attest.Verification;
import dev.vigil.attest.Verifier;
import dev.vigil.poll.FetchResult;
import dev.vigil.poll.HttpProbe;
import dev.vigil.poll.Nonce;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Faults of the transport and of the body: what reaches the monitor before any signature check. */
class TransportFaultsTest extends SimulatorTestBase {

  @Nested
  class Slow {
    @Test
    void answersOnlyAfterTheDelayAndThenCompliant() throws Exception {
      await(sim.setFault(INTEGRITY_GREEN, Fault.SLOW, Duration.ofMillis(300)));
      long start = System.nanoTime();
      SimHarness.Poll p = poll(sim, INTEGRITY_GREEN);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(Duration.ofSeconds(10));
      assertThat(p.verification().verdict()).isEqualTo(Verdict.COMPLIANT);
    }

    @Test
    void delaysTheLegacyEndpointsToo() throws Exception {
      await(sim.setFault(INTEGRITY_GREEN, Fault.SLOW, Duration.ofMillis(300)));
      long start = System.nanoTime();
      assertThat(json(URI.create(sim.baseUrl(INTEGRITY_GREEN) + "/health")).getString("status")).isEqualTo("healthy");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void defaultDelayIsThreeSeconds() throws Exception {
      await(sim.setFault(INTEGRITY_GREEN, Fault.SLOW));
      assertThat(sim.fault(INTEGRITY_GREEN)).isEqualTo(Fault.SLOW);
      assertThat(FaultSetting.of(Fault.SLOW).delay()).isEqualTo(Duration.ofSeconds(3));
    }
  }

  @Nested
  class Http500 {
    @Test
    void everyEndpointAnswers500() throws Exception {
      await(sim.setFault(INTEGRITY_GREEN, Fault.HTTP_500));
      assertThat(poll(sim, INTEGRITY_GREEN).status()).isEqualTo(500);
      assertThat(get(URI.create(sim.baseUrl(INTEGRITY_GREEN) + "/health")).statusCode()).isEqualTo(500);
      assertThat(poll(sim, INTEGRITY_BLUE).status()).isEqualTo(200);
    }
  }

  @Nested
  class ConnectionRefused {
    @Test
    void closesThePortAndReopensTheSamePortOnClear() throws Exception {
      URI before = sim.baseUrl(INTEGRITY_GREEN);
      assertThat(poll(sim, INTEGRITY_GREEN).verification().verdict()).isEqualTo(Verdict.COMPLIANT);
      await(sim.setFault(INTEGRITY_GREEN, Fault.CONNECTION_REFUSED));
      assertThatThrownBy(() -> get(SimHarness.client(), sim.attestationUrl(INTEGRITY_GREEN)))
          .isInstanceOf(ConnectException.class);
      assertThatThrownBy(() -> get(SimHarness.client(), URI.create(before + "/health")))
          .isInstanceOf(ConnectException.class);
      assertThat(poll(sim, INTEGRITY_BLUE).verification().verdict()).isEqualTo(Verdict.COMPLIANT);
      await(sim.clearFault(INTEGRITY_GREEN));
      assertThat(sim.baseUrl(INTEGRITY_GREEN)).isEqualTo(before);
      assertThat(poll(sim, INTEGRITY_GREEN).verification().verdict()).isEqualTo(Verdict.COMPLIANT);
    }

    /**
     * Regression: a closed NIO server socket lingers for some milliseconds after its close
     * completes, accepting connections and blocking a re-bind (netty/netty#8697). Without
     * traffic in between (traffic changes the timing), each cycle here used to hit that about
     * one time in six.
     */
    @Test
    void refusesAndReopensEveryTimeInManyCycles() throws Exception {
      URI url = sim.baseUrl(INTEGRITY_GREEN);
      for (int cycle = 0; cycle < 30; cycle++) {
        await(sim.setFault(INTEGRITY_GREEN, Fault.CONNECTION_REFUSED));
        assertThatThrownBy(() -> {
          try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 5000);
          }
        }).as("cycle %d", cycle).isInstanceOf(ConnectException.class);
        await(sim.clearFault(INTEGRITY_GREEN));
      }
      assertThat(sim.baseUrl(INTEGRITY_GREEN)).isEqualTo(url);
      assertThat(poll(sim, INTEGRITY_GREEN).verification().verdict()).isEqualTo(Verdict.COMPLIANT);
    }

    @Test
    void aQuickRefuseClearRefuseEndsInTheLastState() throws Exception {
      sim.setFault(INTEGRITY_GREEN, Fault.CONNECTION_REFUSED);
      sim.clearFault(INTEGRITY_GREEN);
      await(sim.setFault(INTEGRITY_GREEN, Fault.CONNECTION_REFUSED));
      assertThatThrownBy(() -> get(SimHarness.client(), sim.attestationUrl(INTEGRITY_GREEN)))
          .isInstanceOf(ConnectException.class);
      sim.setFault(INTEGRITY_GREEN, Fault.CONNECTION_REFUSED);
      await(sim.clearFault(INTEGRITY_GREEN));
      assertThat(poll(sim, INTEGRITY_GREEN).verification().verdict()).isEqualTo(Verdict.COMPLIANT);
    }

    @Test
    void switchingToAnotherFaultReopensThePort() throws Exception {
      await(sim.setFault(INTEGRITY_GREEN, Fault.CONNECTION_REFUSED));
      await(sim.setFault(INTEGRITY_GREEN, Fault.TAMPERED_HASH));
      assertThat(poll(sim, INTEGRITY_GREEN).verification().verdict()).isEqualTo(Verdict.HASH_MISMATCH);
    }
  }

  @Nested
  class Bodies {
    @Test
    void oversizedIsAGenuineEnvelopePaddedTo100KiB() throws Exception {
      await(sim.setFault(INTEGRITY_GREEN, Fault.OVERSIZED));
      SimHarness.Poll p = poll(sim, INTEGRITY_GREEN);
      assertThat(p.status()).isEqualTo(200);
      assertThat(p.response().body()).hasSize(Fault.OVERSIZED_BYTES);
      assertThat(p.verification().verdict()).isEqualTo(Verdict.RESPONSE_TOO_LARGE);
      Verifier lenient = new Verifier(TrustStore.of(TrustedKey.of(sim.publicKey(INTEGRITY_GREEN))), 200_000, 8);
      Verification v = lenient.verify(p.response().body(), SimHarness.expectation(sim, INTEGRITY_GREEN, p.nonce(), SimHarness.NOW));
      assertThat(v.verdict()).isEqualTo(Verdict.COMPLIANT);
    }

    @Test
    void garbageIsNotJson() throws Exception {
      await(sim.setFault(INTEGRITY_GREEN, Fault.GARBAGE));
      SimHarness.Poll p = poll(sim, INTEGRITY_GREEN);
      assertThat(p.status()).isEqualTo(200);
      assertThat(p.verification().verdict()).isEqualTo(Verdict.MALFORMED_ENVELOPE);
      assertThat(p.verification().detail()).containsAnyOf("not valid JSON", "not UTF-8 JSON");
    }

    @Test
    void legacyServesNoAttestationButTheHealthEndpoints() throws Exception {
      await(sim.setFault(INTEGRITY_GREEN, Fault.LEGACY));
      HttpResponse<byte[]> r = get(sim.attestationUrl(INTEGRITY_GREEN));
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(text(r)).contains("predates signed attestations");
      assertThat(json(URI.create(sim.baseUrl(INTEGRITY_GREEN) + "/health")).getString("constitutional_hash"))
          .isEqualTo("cdd01ef066bc6cf2");
      assertThat(json(URI.create(sim.baseUrl(INTEGRITY_GREEN) + "/health/constitutional"))
          .getString("constitutional_compliance")).isEqualTo("active");
    }
  }

  /** The monitor's own probe turns the transport faults into availability verdicts. */
  @Nested
  class ThroughTheMonitorsProbe {
    private FetchResult fetch(Duration timeout) throws Exception {
      HttpProbe probe = new HttpProbe(vertx, 1);
      return await(probe.get(SimHarness.withNonce(sim.attestationUrl(INTEGRITY_GREEN), Nonce.fresh()), null, timeout,
          Verifier.DEFAULT_MAX_BYTES).eventually(() -> probe.close()));
    }

    private FetchResult fetch() throws Exception {
      return fetch(Duration.ofSeconds(5));
    }

    @Test
    void refusedIsUnreachable() throws Exception {
      await(sim.setFault(INTEGRITY_GREEN, Fault.CONNECTION_REFUSED));
      assertThat(fetch().failure()).isEqualTo(Verdict.UNREACHABLE);
    }

    @Test
    void status500IsAnHttpError() throws Exception {
      await(sim.setFault(INTEGRITY_GREEN, Fault.HTTP_500));
      FetchResult r = fetch();
      assertThat(r.failure()).isEqualTo(Verdict.HTTP_ERROR);
      assertThat(r.status()).isEqualTo(500);
    }

    @Test
    void oversizedIsTooLarge() throws Exception {
      await(sim.setFault(INTEGRITY_GREEN, Fault.OVERSIZED));
      assertThat(fetch().failure()).isEqualTo(Verdict.RESPONSE_TOO_LARGE);
    }

    @Test
    void slowBeyondTheTimeoutIsATimeout() throws Exception {
      await(sim.setFault(INTEGRITY_GREEN, Fault.SLOW, Duration.ofSeconds(2)));
      FetchResult r = fetch(Duration.ofMillis(300));
      assertThat(r.failure()).isEqualTo(Verdict.TIMEOUT);
    }
  }
}
