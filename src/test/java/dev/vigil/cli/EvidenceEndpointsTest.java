package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.SigningKey;
import dev.vigil.config.ConfigLoader;
import dev.vigil.config.ConfigResult;
import dev.vigil.config.VigilConfig;
import dev.vigil.evidence.Checkpoint;
import dev.vigil.evidence.Entry;
import dev.vigil.evidence.NoteKey;
import dev.vigil.evidence.Rfc9162;
import dev.vigil.evidence.SignedCheckpoint;
import dev.vigil.monitor.MonitorBuilder;
import dev.vigil.monitor.MonitorVerticle;
import dev.vigil.poll.TestVertx;
import dev.vigil.score.BreachTransition;
import dev.vigil.score.TargetId;
import dev.vigil.sim.Fault;
import dev.vigil.sim.FleetSimulator;
import dev.vigil.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evidence log of a real monitor polling a real simulator (loopback, port 0): what it records
 * (verdict changes, samples, breach transitions with the exact envelope), the section-4 endpoints
 * (answers, proofs, bounds, a 400 naming each bad parameter), the metrics, and the auditor's
 * commands against it: {@code vigil report --url} and {@code vigil audit verify --dir}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvidenceEndpointsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final TargetId AUTH = new TargetId("auth-service", "green");
  static final TargetId INTEGRITY = new TargetId("integrity-service", "green");
  static final SigningKey EVENT_KEY = Keys.generate(Scheme.ED25519, new SecureRandom());

  @TempDir static Path dir;
  Vertx vertx;
  FleetSimulator sim;
  MonitorVerticle monitor;
  Instant started;
  final List<BreachTransition> events = new CopyOnWriteArrayList<>();
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void startMonitor() throws Exception {
    started = Instant.now();
    vertx = TestVertx.create();
    sim = TestVertx.await(FleetSimulator.start(vertx, SimulatorOptions.defaults()
        .withServices(List.of(AUTH.service(), INTEGRITY.service())).withEnvironments(List.of("green"))
        .withBasePort(0).withAdminPort(0)));
    sim.writePublicKeys(dir);
    Files.writeString(dir.resolve("event.pem"), EVENT_KEY.privatePem());
    Files.writeString(dir.resolve("event.pub.pem"), EVENT_KEY.publicKey().toPem());
    StringBuilder y = new StringBuilder("monitorId: evidence-monitor\n")
        .append("server: {host: 127.0.0.1, port: 0}\n")
        .append("polling: {interval: 500ms, timeout: 400ms, retries: 0, jitter: 0.2}\n")
        .append("scoring: {window: 3s}\n")
        .append("events: {signingKey: event.pem}\n")
        .append("evidence: {dir: ev, sampleInterval: 1s, flushInterval: 100ms, checkpointInterval: 1s}\n")
        .append("targets:\n");
    for (TargetId t : sim.targets()) {
      y.append("  - {service: ").append(t.service()).append(", environment: ").append(t.environment())
          .append(", url: \"").append(sim.baseUrl(t)).append("\", keys: [{file: ").append(t.service()).append('-')
          .append(t.environment()).append(".pub.pem}]}\n");
    }
    Files.writeString(dir.resolve("vigil.yaml"), y);
    ConfigResult r = ConfigLoader.load(dir.resolve("vigil.yaml"), Map.of());
    assertThat(r.errors()).isEmpty();
    VigilConfig config = r.orElseThrow();
    monitor = MonitorBuilder.of(config).events(events::add).build();
    TestVertx.await(vertx.deployVerticle(monitor));
    // a tampered hash: a verdict change, a breach opened (with the envelope that showed it), then resolved
    await().atMost(Duration.ofSeconds(20)).until(() -> checkpointSize() >= 4);
    TestVertx.await(sim.setFault(INTEGRITY, Fault.TAMPERED_HASH));
    await().atMost(Duration.ofSeconds(20)).until(() -> events.stream().anyMatch(e -> e.kind() == BreachTransition.Kind.OPENED
        && e.breach().rule().equals("hash_mismatch")));
    TestVertx.await(sim.clearFault(INTEGRITY));
    await().atMost(Duration.ofSeconds(30)).until(() -> events.stream().anyMatch(e -> e.kind() == BreachTransition.Kind.RESOLVED
        && e.breach().rule().equals("hash_mismatch")));
    long after = monitorSizeNow();
    await().atMost(Duration.ofSeconds(20)).until(() -> checkpointSize() >= after && after > 0);
  }

  @AfterAll
  void stop() throws Exception {
    if (monitor != null) {
      TestVertx.await(vertx.undeploy(monitor.deploymentID()));
    }
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + monitor.port() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  String checkpointNote() throws Exception {
    HttpResponse<String> r = get("/api/v1/evidence/checkpoint");
    return r.statusCode() == 200 ? r.body() : null;
  }

  Checkpoint verified(String note) {
    SignedCheckpoint.Result r = SignedCheckpoint.open(note.getBytes(StandardCharsets.UTF_8),
        NoteKey.verifier("vigil.dev/evidence-monitor", EVENT_KEY.publicKey()));
    assertThat(r).isInstanceOf(SignedCheckpoint.Verified.class);
    return ((SignedCheckpoint.Verified) r).checkpoint();
  }

  long checkpointSize() throws Exception {
    String note = checkpointNote();
    return note == null ? -1 : verified(note).size();
  }

  long monitorSizeNow() throws Exception {
    return (long) metric("constitutional_evidence_entries_total");
  }

  double metric(String name) throws Exception {
    double sum = 0;
    for (String line : get("/metrics").body().split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  List<Entry> entries(long start, long end) throws Exception {
    List<Entry> out = new ArrayList<>();
    for (long at = start; at < end; at += 1000) {
      HttpResponse<String> r = get("/api/v1/evidence/entries?start=" + at + "&end=" + Math.min(end, at + 1000));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      for (String line : r.body().split("\n")) {
        out.add(Entry.parse(line.getBytes(StandardCharsets.UTF_8)));
      }
    }
    return out;
  }

  @Nested
  class WhatIsRecorded {
    @Test
    void everyEntryIsInPlaceAndTheCheckpointRootIsTheirs() throws Exception {
      Checkpoint cp = verified(checkpointNote());
      List<Entry> all = entries(0, cp.size());
      assertThat(all).hasSize((int) cp.size());
      assertThat(all.stream().mapToLong(Entry::index).toArray())
          .containsExactly(java.util.stream.LongStream.range(0, cp.size()).toArray());
      dev.vigil.evidence.MerkleTree t = new dev.vigil.evidence.MerkleTree();
      all.forEach(e -> t.appendLeafHash(Rfc9162.leafHash(e.toJson())));
      assertThat(t.root()).isEqualTo(cp.root());
    }

    @Test
    void verdictsAreSampledNotEveryPoll() throws Exception {
      List<Entry> auth = entries(0, checkpointSize()).stream()
          .filter(e -> e.service().equals(AUTH.service()) && e.kind() == Entry.Kind.VERDICT).toList();
      long seconds = Duration.between(started, Instant.now()).toSeconds() + 1;
      // polled every 500 ms, compliant (but for a first poll that may time out on a cold JVM): verdict
      // changes and one sample a second, not four entries a second
      assertThat(auth).isNotEmpty();
      assertThat(auth.get(auth.size() - 1).verdict()).isEqualTo("compliant");
      assertThat((long) auth.size()).isLessThanOrEqualTo(seconds + 3);
      Entry compliant = auth.stream().filter(e -> e.verdict().equals("compliant")).findFirst().orElseThrow();
      assertThat(compliant.nonce()).isNotBlank();
      assertThat(new String(compliant.envelope(), StandardCharsets.UTF_8)).contains("\"payloadType\"");
    }

    @Test
    void aVerdictChangeAndTheBreachCarryTheEnvelopeThatShowedIt() throws Exception {
      List<Entry> integrity = entries(0, checkpointSize()).stream()
          .filter(e -> e.service().equals(INTEGRITY.service())).toList();
      Entry mismatch = integrity.stream().filter(e -> "hash_mismatch".equals(e.verdict())
          && e.kind() == Entry.Kind.VERDICT).findFirst().orElseThrow();
      assertThat(mismatch.detail()).contains("deadbeefdeadbeef");
      assertThat(mismatch.envelope()).isNotNull();
      Entry opened = integrity.stream().filter(e -> e.kind() == Entry.Kind.BREACH_OPENED
          && e.breachId().contains("hash_mismatch")).findFirst().orElseThrow();
      BreachTransition ev = events.stream().filter(e -> e.kind() == BreachTransition.Kind.OPENED
          && e.breach().rule().equals("hash_mismatch")).findFirst().orElseThrow();
      assertThat(opened.breachId()).isEqualTo(ev.breach().breachId());
      assertThat(opened.envelope()).isNotNull();
      assertThat(opened.index()).isGreaterThan(mismatch.index());
      Entry resolved = integrity.stream().filter(e -> e.kind() == Entry.Kind.BREACH_RESOLVED
          && e.breachId().equals(opened.breachId())).findFirst().orElseThrow();
      assertThat(resolved.breachId()).isEqualTo(opened.breachId());
      assertThat(integrity.stream().filter(e -> e.index() > mismatch.index() && e.kind() == Entry.Kind.VERDICT
          && "compliant".equals(e.verdict()))).isNotEmpty();
    }

    @Test
    void theMetricsOfMetricsV1() throws Exception {
      String page = get("/metrics").body();
      assertThat(page).contains("constitutional_evidence_entries_total{kind=\"verdict\"}",
          "constitutional_evidence_entries_total{kind=\"breach.opened\"}", "constitutional_evidence_log_bytes ",
          "constitutional_evidence_checkpoint_size ", "constitutional_evidence_checkpoint_timestamp_seconds ");
      assertThat(metric("constitutional_evidence_checkpoint_size")).isGreaterThanOrEqualTo(4);
      assertThat(metric("constitutional_evidence_log_bytes")).isGreaterThan(1000);
      assertThat(metric("constitutional_evidence_checkpoint_timestamp_seconds")).isGreaterThan(started.getEpochSecond() - 1);
    }
  }

  @Nested
  class Proofs {
    @Test
    void inclusionAndConsistencyProofsVerify() throws Exception {
      Checkpoint cp = verified(checkpointNote());
      List<Entry> all = entries(0, cp.size());
      for (long i : new long[] {0, cp.size() / 2, cp.size() - 1}) {
        JsonNode p = JSON.readTree(get("/api/v1/evidence/proof/inclusion?index=" + i + "&size=" + cp.size()).body());
        assertThat(p.get("index").asLong()).isEqualTo(i);
        assertThat(p.get("size").asLong()).isEqualTo(cp.size());
        assertThat(Rfc9162.verifyInclusion(i, cp.size(), Rfc9162.leafHash(all.get((int) i).toJson()), hashes(p), cp.root()))
            .isTrue();
      }
      dev.vigil.evidence.MerkleTree t = new dev.vigil.evidence.MerkleTree();
      all.forEach(e -> t.appendLeafHash(Rfc9162.leafHash(e.toJson())));
      long m = cp.size() / 3;
      JsonNode c = JSON.readTree(get("/api/v1/evidence/proof/consistency?from=" + m + "&to=" + cp.size()).body());
      assertThat(c.get("from").asLong()).isEqualTo(m);
      assertThat(Rfc9162.verifyConsistency(m, cp.size(), t.root(m), cp.root(), hashes(c))).isTrue();
    }

    List<byte[]> hashes(JsonNode p) {
      List<byte[]> out = new ArrayList<>();
      p.get("hashes").forEach(h -> out.add(Base64.getDecoder().decode(h.asText())));
      return out;
    }
  }

  @Nested
  class BadParameters {
    void refused(String path, String parameter) throws Exception {
      HttpResponse<String> r = get(path);
      assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(400);
      assertThat(JSON.readTree(r.body()).get("error").asText()).as(path).startsWith(parameter + ": ");
    }

    @Test
    void entriesNameTheBadParameter() throws Exception {
      refused("/api/v1/evidence/entries?end=3", "start");
      refused("/api/v1/evidence/entries?start=0", "end");
      refused("/api/v1/evidence/entries?start=-1&end=3", "start");
      refused("/api/v1/evidence/entries?start=x&end=3", "start");
      refused("/api/v1/evidence/entries?start=0&end=1e3", "end");
      refused("/api/v1/evidence/entries?start=3&end=2", "end");
      refused("/api/v1/evidence/entries?start=0&end=99999999", "end");
      refused("/api/v1/evidence/entries?start=0&start=1&end=2", "start");
      refused("/api/v1/evidence/entries?start=0&end=99999999999999999999999", "end");
    }

    @Test
    void atMostAThousandEntriesACall() throws Exception {
      refused("/api/v1/evidence/entries?start=0&end=1001", "end");
    }

    @Test
    void proofsNameTheBadParameter() throws Exception {
      long n = checkpointSize();
      refused("/api/v1/evidence/proof/inclusion?size=" + n, "index");
      refused("/api/v1/evidence/proof/inclusion?index=0", "size");
      refused("/api/v1/evidence/proof/inclusion?index=" + n + "&size=" + n, "index");
      refused("/api/v1/evidence/proof/inclusion?index=0&size=0", "size");
      refused("/api/v1/evidence/proof/inclusion?index=0&size=999999999", "size");
      refused("/api/v1/evidence/proof/consistency?from=2&to=1", "from");
      refused("/api/v1/evidence/proof/consistency?from=1", "to");
      refused("/api/v1/evidence/proof/consistency?from=1&to=999999999", "to");
      refused("/api/v1/evidence/proof/consistency?from=%20&to=1", "from");
    }
  }

  @Nested
  class Auditors {
    @Test
    void reportUrlReadsTheMonitor() throws Exception {
      Cli.Result r = Cli.run("report", "--url", "http://127.0.0.1:" + monitor.port(), "--key",
          dir.resolve("event.pub.pem").toString(), "--from", started.minusSeconds(60).toString(), "--to",
          Instant.now().plusSeconds(60).toString(), "--format", "json");
      assertThat(r.code()).as(r.toString()).isZero();
      JsonNode report = JSON.readTree(r.out());
      assertThat(report.toString()).contains("integrity-service", "auth-service", "vigil.dev/evidence-monitor");
    }

    @Test
    void auditVerifyUrlFetchesTheCheckpointAndEntriesAndReVerifiesTheEnvelopes() throws Exception {
      Cli.Result r = Cli.run("audit", "verify", "--url", "http://127.0.0.1:" + monitor.port(), "--key",
          dir.resolve("event.pub.pem").toString(), "--config", dir.resolve("vigil.yaml").toString());
      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(r.out()).contains("checkpoint signature: ok (vigil.dev/evidence-monitor", "matches the checkpoint",
          "re-verified with the fleet's keys").containsPattern("verified: [1-9][0-9]* entries");
    }

    @Test
    void auditVerifyUrlWithAnotherKeyFails() throws Exception {
      Path other = Fixtures.writePublic(Fixtures.generate(Scheme.ED25519), dir, "other.pub.pem");
      Cli.Result r = Cli.run("audit", "verify", "--url", "http://127.0.0.1:" + monitor.port(), "--key", other.toString());
      assertThat(r.code()).as(r.toString()).isEqualTo(1);
      assertThat(r.out()).contains("FAIL  checkpoint: not_signed_by_key");
    }

    @Test
    void auditVerifyUrlOfNoMonitorIsAnInputError() throws Exception {
      Cli.Result r = Cli.run("audit", "verify", "--url", "http://127.0.0.1:1", "--key", dir.resolve("event.pub.pem").toString(),
          "--timeout", "2s");
      assertThat(r.code()).as(r.toString()).isEqualTo(2);
      assertThat(r.err()).contains("--url http://127.0.0.1:1");
    }

    @Test
    void auditVerifyChecksTheLogDirectoryWithTheCheckpointFileTheMonitorWrites() throws Exception {
      Path ev = dir.resolve("ev");
      assertThat(ev.resolve("checkpoint.txt")).isRegularFile();
      Cli.Result r = Cli.run("audit", "verify", "--dir", ev.toString(),
          "--key", dir.resolve("event.pub.pem").toString(), "--config", dir.resolve("vigil.yaml").toString());
      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(r.out()).contains("re-verified with the fleet's keys");
    }
  }
}
