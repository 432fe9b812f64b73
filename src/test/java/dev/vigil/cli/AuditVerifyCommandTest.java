package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.attest.Scheme;
import dev.vigil.attest.SigningKey;
import dev.vigil.evidence.Checkpoint;
import dev.vigil.evidence.Entry;
import dev.vigil.evidence.EvidenceLog;
import dev.vigil.evidence.NoteKey;
import dev.vigil.evidence.SignedCheckpoint;
import dev.vigil.recordlog.RecordLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditVerifyCommandTest {
  static final SigningKey MONITOR = Fixtures.generate(Scheme.ED25519);
  static final SigningKey SERVICE = Fixtures.generate(Scheme.ED25519);
  static final String ORIGIN = "vigil.dev/monitor-0";

  @TempDir Path dir;
  Path logDir;
  Path logFile;
  Path checkpoint;
  Path previous;
  Path monitorPub;
  Path config;

  static Entry entry(int i, SigningKey signer) {
    return new Entry(0, Fixtures.ISSUED_AT.plusSeconds(i), "monitor-0", Fixtures.SERVICE, Fixtures.ENVIRONMENT,
        Entry.Kind.VERDICT, "compliant", "ok " + i, Fixtures.NONCE,
        Fixtures.envelope(signer, Fixtures.NONCE, Fixtures.ISSUED_AT.plusSeconds(i)), null);
  }

  @BeforeEach
  void writeLogCheckpointsKeysAndConfig() throws IOException {
    logDir = dir.resolve("evidence");
    logFile = logDir.resolve(EvidenceLog.FILE);
    monitorPub = Fixtures.writePublic(MONITOR, dir, "monitor.pub.pem");
    Fixtures.writePublic(SERVICE, dir, "svc.pub.pem");
    config = Files.writeString(dir.resolve("vigil.yaml"), "targets:\n  - service: " + Fixtures.SERVICE
        + "\n    environment: " + Fixtures.ENVIRONMENT + "\n    url: http://127.0.0.1:8000\n    keys: [{file: svc.pub.pem}]\n");
    try (EvidenceLog log = EvidenceLog.open(logDir, "monitor-0", Duration.ofSeconds(1), Clock.systemUTC())) {
      for (int i = 0; i < 12; i++) {
        log.append(entry(i, SERVICE));
      }
      previous = sign(log.checkpoint(), MONITOR, "previous.checkpoint");
      for (int i = 12; i < 20; i++) {
        log.append(entry(i, SERVICE));
      }
      checkpoint = sign(log.checkpoint(), MONITOR, "latest.checkpoint");
    }
  }

  Path sign(Checkpoint cp, SigningKey key, String name) throws IOException {
    return Files.writeString(dir.resolve(name), SignedCheckpoint.sign(cp, NoteKey.signer(ORIGIN, key)));
  }

  Cli.Result verify(String... more) {
    return Cli.run(Cli.args(List.of("audit", "verify", "--dir", logDir.toString(), "--checkpoint", checkpoint.toString(),
        "--key", monitorPub.toString(), "--previous-checkpoint", previous.toString()), more));
  }

  /** Replaces the log's records (CRC32C recomputed: a careful forger, not a disk error). */
  void rewrite(UnaryOperator<List<byte[]>> change) throws IOException {
    List<byte[]> records = new ArrayList<>();
    try (RecordLog log = RecordLog.open(logFile, EvidenceLog.MAX_ENTRY_BYTES, (off, p) -> records.add(p))) {
      log.rewrite(change.apply(records));
    }
  }

  @Nested
  class Intact {
    @Test
    void everythingVerifiesAndWhatWasCheckedIsPrinted() {
      Cli.Result r = verify("--config", config.toString());

      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(r.out()).contains("checkpoint signature: ok (vigil.dev/monitor-0", "entries: 20 read",
          "root of the first 20 entries: matches", "consistency proof 12 -> 20", "envelopes: 20 re-verified",
          "verified: 20 entries");
    }
  }

  @Nested
  class Tampering {
    @Test
    void aFlippedByteOnDiskNamesTheEntry() throws IOException {
      byte[] bytes = Files.readAllBytes(logFile);
      int at = 0;
      for (int i = 0; i < 5; i++) {
        at += 8 + java.nio.ByteBuffer.wrap(bytes).getInt(at);
      }
      bytes[at + 40] ^= 0x01;
      Files.write(logFile, bytes);

      Cli.Result r = verify();
      assertThat(r.code()).as(r.toString()).isEqualTo(1);
      assertThat(r.out()).contains("FAIL  entry 5").contains("holds index 6").contains("corrupt record(s) at byte(s) [" + at + "]");
    }

    @Test
    void aChangedEntryWithAValidFrameBreaksTheRoot() throws IOException {
      rewrite(records -> {
        records.set(7, new String(records.get(7), StandardCharsets.UTF_8).replace("\"ok 7\"", "\"ok 8\"")
            .getBytes(StandardCharsets.UTF_8));
        return records;
      });

      Cli.Result r = verify();
      assertThat(r.code()).as(r.toString()).isEqualTo(1);
      assertThat(r.out()).contains("FAIL  root: the first 20 entries hash to");
    }

    @Test
    void anEntryOfAnotherMonitorNamesItsIndex() throws IOException {
      rewrite(records -> {
        records.set(2, new String(records.get(2), StandardCharsets.UTF_8).replace("\"monitor-0\"", "\"monitor-1\"")
            .getBytes(StandardCharsets.UTF_8));
        return records;
      });

      Cli.Result r = verify();
      assertThat(r.code()).as(r.toString()).isEqualTo(1);
      assertThat(r.out()).contains("FAIL  entry 2: recorded by monitor monitor-1, the checkpoint is of monitor-0");
    }

    @Test
    void anEntryRemovedNamesItsIndex() throws IOException {
      rewrite(records -> {
        records.remove(7);
        return records;
      });

      Cli.Result r = verify();
      assertThat(r.code()).as(r.toString()).isEqualTo(1);
      assertThat(r.out()).contains("FAIL  entry 7 ").contains("holds index 8");
    }

    @Test
    void twoEntriesSwappedNameTheFirst() throws IOException {
      rewrite(records -> {
        Collections.swap(records, 3, 4);
        return records;
      });

      Cli.Result r = verify();
      assertThat(r.code()).as(r.toString()).isEqualTo(1);
      assertThat(r.out()).contains("FAIL  entry 3 ").contains("holds index 4");
    }

    @Test
    void aCheckpointReSignedWithAnotherKeyIsRefused() throws IOException {
      String note = Files.readString(checkpoint);
      Checkpoint cp = ((SignedCheckpoint.Verified) SignedCheckpoint.open(note.getBytes(StandardCharsets.UTF_8),
          NoteKey.verifier(ORIGIN, MONITOR.publicKey()))).checkpoint();
      checkpoint = sign(cp, Fixtures.generate(Scheme.ED25519), "forged.checkpoint");

      Cli.Result r = verify();
      assertThat(r.code()).as(r.toString()).isEqualTo(1);
      assertThat(r.out()).contains("FAIL  checkpoint: not_signed_by_key");
    }

    @Test
    void aLogRewrittenFromTheMiddleAndReSignedFailsConsistency() throws IOException {
      Files.delete(logFile);
      try (EvidenceLog log = EvidenceLog.open(logDir, "monitor-0", Duration.ZERO, Clock.systemUTC())) {
        for (int i = 0; i < 20; i++) {
          Entry e = entry(i, SERVICE);
          log.append(i < 10 ? e : new Entry(0, e.time(), e.monitor(), e.service(), e.environment(), e.kind(),
              "compliant", "rewritten " + i, e.nonce(), e.envelope(), null));
        }
        checkpoint = sign(log.checkpoint(), MONITOR, "rewritten.checkpoint");
      }

      Cli.Result r = verify();
      assertThat(r.code()).as(r.toString()).isEqualTo(1);
      assertThat(r.out()).contains("root of the first 20 entries: matches")
          .contains("FAIL  consistency proof 12 -> 20: fails");
    }

    @Test
    void aForgedEnvelopeIsCaughtOnlyWithTheFleetsKeys() throws IOException {
      Entry forged = entry(4, Fixtures.generate(Scheme.ED25519)).withIndex(4);
      rewrite(records -> {
        records.set(4, forged.toJson());
        return records;
      });
      try (EvidenceLog log = EvidenceLog.open(logDir, "monitor-0", Duration.ZERO, Clock.systemUTC())) {
        checkpoint = sign(log.checkpoint(), MONITOR, "with-forgery.checkpoint");
        previous = checkpoint;
      }

      assertThat(verify().code()).isZero();
      Cli.Result r = verify("--config", config.toString());
      assertThat(r.code()).as(r.toString()).isEqualTo(1);
      assertThat(r.out()).contains("FAIL  entry 4: the envelope of integrity-service/green recorded as compliant"
          + " does not verify");
    }
  }

  @Nested
  class Help {
    @Test
    void listsEveryOptionAndTheExitCodes() {
      Cli.Result r = Cli.run("audit", "verify", "--help");
      String help = r.out().replaceAll("\\s+", " ");

      assertThat(r.code()).isZero();
      assertThat(help).contains("--dir", "--url", "--checkpoint", "--key", "--previous-checkpoint", "--config",
          "--timeout", "0 everything verified", "1 the first bad index or failing proof is named",
          "2 usage or input error", "DIR/checkpoint.txt");
      assertThat(Cli.run("bench", "evidence", "--help").out())
          .contains("--entries", "--proof-tree-size", "--flush-interval", "--dir");
    }
  }

  @Nested
  class BadInput {
    @Test
    void aMissingDirectoryOrCheckpointIsAnInputErrorNamingThePath() {
      Cli.Result r = Cli.run("audit", "verify", "--dir", dir.resolve("nope").toString(), "--checkpoint",
          checkpoint.toString(), "--key", monitorPub.toString());
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("--dir " + dir.resolve("nope") + ": no such directory");

      r = Cli.run("audit", "verify", "--dir", logDir.toString(), "--checkpoint", dir.resolve("none").toString(),
          "--key", monitorPub.toString());
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("--checkpoint: cannot read " + dir.resolve("none") + ": no such file");

      r = Cli.run("audit", "verify", "--dir", logDir.toString(), "--key", monitorPub.toString());
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("--checkpoint: not given, and no checkpoint.txt in --dir " + logDir);

      r = Cli.run("audit", "verify", "--dir", logDir.toString(), "--url", "http://127.0.0.1:1", "--key",
          monitorPub.toString());
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("mutually exclusive");
    }

    @Test
    void aKeyOtherThanEd25519IsAnInputError() throws IOException {
      Path ec = Fixtures.writePublic(Fixtures.generate(Scheme.ECDSA_P256), dir, "ec.pub.pem");
      Cli.Result r = Cli.run("audit", "verify", "--dir", logDir.toString(), "--checkpoint", checkpoint.toString(),
          "--key", ec.toString());
      assertThat(r.code()).as(r.toString()).isEqualTo(2);
      assertThat(r.err()).contains("--key " + ec).contains("Ed25519");
    }
  }
}
