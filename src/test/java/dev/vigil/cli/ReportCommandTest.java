package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.SigningKey;
import dev.vigil.evidence.Entry;
import dev.vigil.evidence.EvidenceLog;
import dev.vigil.evidence.NoteKey;
import dev.vigil.evidence.SignedCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil report} end to end on a real evidence log and signed checkpoint. */
class ReportCommandTest {
  static final SigningKey MONITOR = Fixtures.generate(Scheme.ED25519);
  static final SigningKey SERVICE = Fixtures.generate(Scheme.ED25519);
  static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");

  @TempDir Path dir;
  Path logDir;
  Path checkpoint;
  Path monitorPub;

  @BeforeEach
  void writeLog() throws IOException {
    logDir = dir.resolve("evidence");
    monitorPub = Fixtures.writePublic(MONITOR, dir, "monitor.pub.pem");
    try (EvidenceLog log = EvidenceLog.open(logDir, "monitor-0", Duration.ofSeconds(1), Clock.systemUTC())) {
      for (int h = 0; h < 4; h++) {
        Instant t = T0.plus(Duration.ofHours(h));
        log.append(new Entry(0, t, "monitor-0", Fixtures.SERVICE, Fixtures.ENVIRONMENT, Entry.Kind.VERDICT,
            h == 2 ? "timeout" : "compliant", "poll", Fixtures.NONCE, h == 2 ? null : Fixtures.envelope(SERVICE,
                Fixtures.NONCE, t), null));
      }
      checkpoint = Files.writeString(dir.resolve("latest.checkpoint"),
          SignedCheckpoint.sign(log.checkpoint(), NoteKey.signer("vigil.dev/monitor-0", MONITOR)));
    }
  }

  Cli.Result report(String... more) {
    return Cli.run(Cli.args(List.of("report", "--dir", logDir.toString(), "--from", "2026-11-26T00:00:00Z",
        "--to", "2026-11-26T04:00:00Z"), more));
  }

  @Nested
  class Writes {
    @Test
    void jsonFromAVerifiedCheckpoint() throws IOException {
      Cli.Result r = report("--format", "json", "--checkpoint", checkpoint.toString(), "--key", monitorPub.toString());
      assertThat(r.code()).as(r.toString()).isZero();
      JsonNode j = new ObjectMapper().readTree(r.out());
      assertThat(j.get("checkpoint").get("signature").asText()).isEqualTo("verified");
      JsonNode s = j.get("services").get(0);
      // hours 0, 1, 3 compliant, hour 2 timeout: covered 4 h, compliance 75 %, availability 75 %
      assertThat(s.get("compliancePct").asDouble()).isEqualTo(75.0);
      assertThat(s.get("availabilityPct").asDouble()).isEqualTo(75.0);
      assertThat(s.get("coveragePct").asDouble()).isEqualTo(100.0);
    }

    @Test
    void markdownToAFileByDefault() throws IOException {
      Path out = dir.resolve("report.md");
      Cli.Result r = report("--out", out.toString());
      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(Files.readString(out)).startsWith("# Vigil compliance report").contains("| compliance | 75.000 % |",
          "none: no checkpoint was given");
    }

    @Test
    void htmlForOneService() throws IOException {
      Path out = dir.resolve("report.html");
      Cli.Result r = report("--format", "html", "--service", Fixtures.SERVICE, "--out", out.toString());
      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(Files.readString(out)).startsWith("<!DOCTYPE html>").contains("<svg", "<path class=\"line\" d=\"M")
          .endsWith("</html>\n");
    }

    @Test
    void aDateIsItsMidnightUtc() {
      Cli.Result r = Cli.run("report", "--dir", logDir.toString(), "--from", "2026-11-26", "--to", "2026-11-27",
          "--format", "json");
      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(r.out()).contains("\"from\" : \"2026-11-26T00:00:00Z\"", "\"to\" : \"2026-11-27T00:00:00Z\"");
    }
  }

  @Nested
  class BadInput {
    @Test
    void badFromNamesTheOption() {
      Cli.Result r = Cli.run("report", "--dir", logDir.toString(), "--from", "yesterday", "--to", "2026-11-27");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("--from 'yesterday': not an RFC 3339 time");
    }

    @Test
    void badToNamesTheOption() {
      Cli.Result r = Cli.run("report", "--dir", logDir.toString(), "--from", "2026-11-26", "--to", "2026-13-01");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("--to '2026-13-01'");
    }

    @Test
    void fromNotBeforeTo() {
      Cli.Result r = Cli.run("report", "--dir", logDir.toString(), "--from", "2026-11-27", "--to", "2026-11-26");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("--from 2026-11-27T00:00:00Z is not before --to 2026-11-26T00:00:00Z");
    }

    @Test
    void unknownFormat() {
      Cli.Result r = report("--format", "pdf");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("--format 'pdf': expected md, html or json");
    }

    @Test
    void missingDirectory() {
      Cli.Result r = Cli.run("report", "--dir", dir.resolve("nope").toString(), "--from", "2026-11-26", "--to",
          "2026-11-27");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("--dir ", "nope: no such directory");
    }

    @Test
    void noSource() {
      Cli.Result r = Cli.run("report", "--from", "2026-11-26", "--to", "2026-11-27");
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("--dir");
    }

    @Test
    void keyWithoutCheckpoint() {
      Cli.Result r = report("--key", monitorPub.toString());
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("--key verifies a checkpoint");
    }

    @Test
    void aCorruptLogIsAFinding() throws IOException {
      Path file = logDir.resolve(EvidenceLog.FILE);
      byte[] bytes = Files.readAllBytes(file);
      bytes[100] ^= 1;
      Files.write(file, bytes);
      Cli.Result r = report("--checkpoint", checkpoint.toString());
      assertThat(r.code()).as(r.toString()).isEqualTo(1);
      assertThat(r.err()).contains("the evidence does not check", "corrupt record");
      assertThat(r.out()).isEmpty();
    }

    @Test
    void aCheckpointOfAnotherKeyIsAFinding() throws IOException {
      Path other = Fixtures.writePublic(Fixtures.generate(Scheme.ED25519), dir, "other.pub.pem");
      Cli.Result r = report("--checkpoint", checkpoint.toString(), "--key", other.toString());
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).contains("checkpoint: not signed by key");
    }
  }
}
