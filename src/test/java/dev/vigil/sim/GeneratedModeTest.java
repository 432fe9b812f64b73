package dev.vigil.sim;

import static dev.vigil.sim.SimHarness.await;
import static dev.vigil.sim.SimHarness.get;
import static dev.vigil.sim.SimHarness.poll;
import static dev.vigil.sim.SimHarness.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.attest.Verdict;
import dev.vigil.score.TargetId;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** 50 generated services, blue and green, on 4 shared ports told apart by path. */
class GeneratedModeTest extends SimulatorTestBase {
  static final TargetId FIRST = new TargetId("svc-00000", "green");
  /** Instance 4 in target order: on the same shared port as {@link #FIRST}. */
  static final TargetId SAME_PORT = new TargetId("svc-00002", "green");
  static final TargetId OTHER_PORT = new TargetId("svc-00000", "blue");

  @Override
  SimulatorOptions options() {
    return SimHarness.options().withGenerated(50, 4);
  }

  @Test
  void servesEveryInstanceUnderItsPrefixOnFourPorts() {
    assertThat(sim.targets()).hasSize(100).startsWith(FIRST, OTHER_PORT);
    assertThat(sim.targets().get(99)).isEqualTo(new TargetId("svc-00049", "blue"));
    assertThat(sim.targets().stream().map(t -> sim.baseUrl(t).getPort()).collect(Collectors.toSet())).hasSize(4);
    assertThat(sim.baseUrl(SAME_PORT).toString())
        .isEqualTo("http://127.0.0.1:" + sim.baseUrl(FIRST).getPort() + "/s/svc-00002/green");
    assertThat(sim.attestationUrl(SAME_PORT).getPath()).isEqualTo("/s/svc-00002/green/attestation");
    assertThat(sim.baseUrl(OTHER_PORT).getPort()).isNotEqualTo(sim.baseUrl(FIRST).getPort());
  }

  @Test
  void everyInstanceIsCompliant() throws Exception {
    for (TargetId id : sim.targets()) {
      assertThat(poll(sim, id).verification().verdict()).as("%s", id).isEqualTo(Verdict.COMPLIANT);
    }
  }

  @Test
  void aFaultStaysOnItsInstanceAlthoughThePortIsShared() throws Exception {
    await(sim.setFault(FIRST, Fault.TAMPERED_HASH));
    assertThat(poll(sim, FIRST).verification().verdict()).isEqualTo(Verdict.HASH_MISMATCH);
    for (TargetId id : sim.targets()) {
      if (!id.equals(FIRST)) {
        assertThat(poll(sim, id).verification().verdict()).as("%s", id).isEqualTo(Verdict.COMPLIANT);
      }
    }
  }

  @Test
  void connectionRefusedClosesTheConnectionButNotThePort() throws Exception {
    await(sim.setFault(FIRST, Fault.CONNECTION_REFUSED));
    assertThatThrownBy(() -> get(SimHarness.client(), sim.attestationUrl(FIRST)))
        .isInstanceOf(IOException.class).isNotInstanceOf(ConnectException.class);
    assertThat(poll(sim, SAME_PORT).verification().verdict()).isEqualTo(Verdict.COMPLIANT);
    await(sim.clearFault(FIRST));
    assertThat(poll(sim, FIRST).verification().verdict()).isEqualTo(Verdict.COMPLIANT);
  }

  @Test
  void aSlowInstanceDoesNotHoldUpItsPortNeighbours() throws Exception {
    await(sim.setFault(FIRST, Fault.SLOW, Duration.ofSeconds(5)));
    HttpClient client = SimHarness.client();
    CompletableFuture<HttpResponse<byte[]>> slow = client.sendAsync(
        HttpRequest.newBuilder(sim.attestationUrl(FIRST)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    Awaitility.await().atMost(SimHarness.DEADLINE).until(() -> sim.requests(FIRST) == 1);
    assertThat(poll(sim, SAME_PORT).verification().verdict()).isEqualTo(Verdict.COMPLIANT);
    assertThat(slow).isNotDone();
    slow.cancel(true);
  }

  @Test
  void legacyEndpointsLiveUnderThePrefix() throws Exception {
    HttpResponse<byte[]> r = get(URI.create(sim.baseUrl(SAME_PORT) + "/health"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(text(r)).getString("service")).isEqualTo("svc-00002");
    assertThat(get(URI.create(sim.baseUrl(SAME_PORT) + "/health/constitutional")).statusCode()).isEqualTo(200);
  }

  @Test
  void pathsOfNoInstanceOnThisPortAre404() throws Exception {
    int port = sim.baseUrl(FIRST).getPort();
    for (String path : List.of("/attestation", "/s/", "/s/svc-00000", "/s/svc-99999/green/attestation",
        "/s/svc-00000/blue/attestation", "/s/svc-00000/green", "/s/svc-00000/green/nope")) {
      HttpResponse<byte[]> r = get(URI.create("http://127.0.0.1:" + port + path));
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(new JsonObject(text(r)).getString("error")).as(path).isNotBlank();
    }
  }
}
