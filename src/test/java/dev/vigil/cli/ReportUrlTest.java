package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.SigningKey;
import dev.vigil.evidence.Entry;
import dev.vigil.evidence.EvidenceLog;
import dev.vigil.evidence.NoteKey;
import dev.vigil.evidence.SignedCheckpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil report --url}: the client side of evidence-v1 section 4. The server here is a real
 * HTTP server on 127.0.0.1 (port 0) serving a real {@link EvidenceLog} as the spec says (checkpoint
 * as text/plain, entries as JSON lines, at most 1000 a call, a 400 naming a bad parameter). It
 * controls what is served (paging, tampering in transit); {@link EvidenceEndpointsTest} runs the
 * command against a real monitor's endpoints.
 */
class ReportUrlTest {
  static final SigningKey MONITOR = Fixtures.generate(Scheme.ED25519);
  static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");
  static final int ENTRIES = 2500;

  @TempDir Path dir;
  EvidenceLog log;
  LoopbackServer server;
  Path monitorPub;
  UnaryOperator<byte[]> tamper = b -> b;

  @BeforeEach
  void serveALog() throws IOException {
    monitorPub = Fixtures.writePublic(MONITOR, dir, "monitor.pub.pem");
    log = EvidenceLog.open(dir.resolve("evidence"), "monitor-0", Duration.ofSeconds(1), Clock.systemUTC());
    for (int i = 0; i < ENTRIES; i++) {
      // one verdict every 10 s, the 2000th to 2099th are timeouts: 100 x 10 s = 1000 s unavailable
      log.append(new Entry(0, T0.plusSeconds(10L * i), "monitor-0", Fixtures.SERVICE, Fixtures.ENVIRONMENT,
          Entry.Kind.VERDICT, i >= 2000 && i < 2100 ? "timeout" : "compliant", "poll " + i, null, null, null));
    }
    String note = SignedCheckpoint.sign(log.checkpoint(), NoteKey.signer("vigil.dev/monitor-0", MONITOR));
    server = LoopbackServer.start("/api/v1/evidence/checkpoint",
        x -> respond(x, 200, note.getBytes(StandardCharsets.UTF_8)));
    server.route("/api/v1/evidence/entries", this::entries);
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
    log.close();
  }

  void entries(HttpExchange x) throws IOException {
    Map<String, Long> q = new java.util.HashMap<>();
    for (String pair : x.getRequestURI().getRawQuery().split("&")) {
      String[] kv = pair.split("=", 2);
      try {
        q.put(kv[0], Long.parseLong(kv[1]));
      } catch (RuntimeException e) {
        respond(x, 400, ("bad parameter " + kv[0]).getBytes(StandardCharsets.UTF_8));
        return;
      }
    }
    long start = q.getOrDefault("start", -1L);
    long end = q.getOrDefault("end", -1L);
    if (start < 0 || start >= log.size()) {
      respond(x, 400, "bad parameter start".getBytes(StandardCharsets.UTF_8));
      return;
    }
    if (end <= start || end > log.size() || end - start > 1000) {
      respond(x, 400, "bad parameter end".getBytes(StandardCharsets.UTF_8));
      return;
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] e : log.read(start, end)) {
      body.write(tamper.apply(e));
      body.write('\n');
    }
    respond(x, 200, body.toByteArray());
  }

  static void respond(HttpExchange x, int status, byte[] body) throws IOException {
    x.getResponseHeaders().set("Content-Type", status == 200 && body.length > 0 && body[0] == '{'
        ? "application/jsonl" : "text/plain; charset=utf-8");
    x.sendResponseHeaders(status, body.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(body);
    }
  }

  Cli.Result report(String... more) {
    return Cli.run(Cli.args(List.of("report", "--url", server.url(""), "--from", "2026-11-26T00:00:00Z",
        "--to", "2026-11-26T06:00:00Z", "--format", "json", "--stale-after", "1m"), more));
  }

  @Nested
  class Reads {
    @Test
    void theLatestCheckpointAndEveryEntryPageByPage() throws IOException {
      Cli.Result r = report("--key", monitorPub.toString());
      assertThat(r.code()).as(r.toString()).isZero();
      JsonNode j = new ObjectMapper().readTree(r.out());
      assertThat(j.get("checkpoint").get("signature").asText()).isEqualTo("verified");
      assertThat(j.get("checkpoint").get("size").asLong()).isEqualTo(ENTRIES);
      JsonNode s = j.get("services").get(0);
      // 2500 verdicts 10 s apart cover 00:00 to 24990 s + 60 s (stale after 1 m) = 25050 s; 100 timeouts = 1000 s
      assertThat(s.get("coveredSeconds").asDouble()).isEqualTo(21600.0);
      assertThat(s.get("availabilityPct").asDouble()).isEqualTo(100.0 * (21600 - 1000) / 21600);
      assertThat(server.requests).extracting(LoopbackServer.Request::path).containsExactly(
          "/api/v1/evidence/checkpoint", "/api/v1/evidence/entries", "/api/v1/evidence/entries",
          "/api/v1/evidence/entries");
    }

    @Test
    void aGivenCheckpointLimitsTheEntriesFetched() throws IOException {
      Path older = java.nio.file.Files.writeString(dir.resolve("older.checkpoint"), SignedCheckpoint.sign(
          dev.vigil.evidence.Checkpoint.of("monitor-0", 1200, log.root(1200)), NoteKey.signer("vigil.dev/monitor-0", MONITOR)));
      Cli.Result r = report("--checkpoint", older.toString(), "--key", monitorPub.toString());
      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(new ObjectMapper().readTree(r.out()).get("log").get("entries").asLong()).isEqualTo(1200);
      assertThat(server.requests).extracting(LoopbackServer.Request::path)
          .containsExactly("/api/v1/evidence/entries", "/api/v1/evidence/entries");
    }
  }

  @Nested
  class Refuses {
    @Test
    void anEntryChangedInTransit() {
      tamper = b -> new String(b, StandardCharsets.UTF_8).replace("\"timeout\"", "\"compliant\"")
          .getBytes(StandardCharsets.UTF_8);
      Cli.Result r = report();
      assertThat(r.code()).as(r.toString()).isEqualTo(1);
      assertThat(r.err()).contains("the evidence does not check", "the checkpoint signs");
    }

    @Test
    void aCheckpointOfAnotherKey() throws IOException {
      Path other = Fixtures.writePublic(Fixtures.generate(Scheme.ED25519), dir, "other.pub.pem");
      Cli.Result r = report("--key", other.toString());
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).contains("not signed by key");
    }

    @Test
    void aMonitorThatIsNotThere() throws IOException {
      String url = server.url("");
      server.close();
      Cli.Result r = Cli.run("report", "--url", url, "--from", "2026-11-26", "--to", "2026-11-27", "--timeout", "5s");
      assertThat(r.code()).as(r.toString()).isEqualTo(2);
      assertThat(r.err()).contains("--url GET " + url + "/api/v1/evidence/checkpoint: unreachable");
      server = LoopbackServer.start("/", x -> respond(x, 404, new byte[0]));
    }

    @Test
    void aPathWithoutTheEndpoints() {
      Cli.Result r = Cli.run("report", "--url", server.url("/nothing"), "--from", "2026-11-26", "--to", "2026-11-27");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("/nothing/api/v1/evidence/checkpoint: http_error: HTTP status 404");
    }

    @Test
    void notAnHttpUrl() {
      Cli.Result r = Cli.run("report", "--url", "ftp://x", "--from", "2026-11-26", "--to", "2026-11-27");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("--url ftp://x: expected an http:// or https:// URL");
    }

    @Test
    void dirAndUrlTogether() {
      Cli.Result r = Cli.run("report", "--url", server.url(""), "--dir", dir.toString(), "--from", "2026-11-26",
          "--to", "2026-11-27");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("mutually exclusive");
    }
  }
}
