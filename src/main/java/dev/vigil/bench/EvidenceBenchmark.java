package dev.vigil.bench;

import dev.vigil.attest.Keys;
import dev.vigil.attest.Scheme;
import dev.vigil.attest.Signer;
import dev.vigil.attest.SigningKey;
import dev.vigil.attest.Statement;
import dev.vigil.config.ConfigLoader;
import dev.vigil.config.ConfigResult;
import dev.vigil.config.VigilConfig;
import dev.vigil.evidence.Audit;
import dev.vigil.evidence.Entry;
import dev.vigil.evidence.EvidenceLog;
import dev.vigil.evidence.MerkleTree;
import dev.vigil.evidence.NoteKey;
import dev.vigil.evidence.Rfc9162;
import dev.vigil.evidence.SignedCheckpoint;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;

/**
 * {@code vigil bench evidence}: the evidence log's costs. Append per entry (a verdict entry holding
 * a real Ed25519 DSSE envelope, fsync batched by {@code flushInterval}), proof generation in a
 * tree of {@code proofTreeSize} entries, and {@code audit verify} throughput with and without
 * envelope re-verification. One thread; not thread-safe.
 */
public final class EvidenceBenchmark {
  private final int entries;
  private final long proofTreeSize;
  private final Duration flushInterval;

  /** The figures. */
  public record Result(long entries, long logBytes, double appendMicros, double appendCpuMicros, double inclusionMicros,
      double consistencyMicros, double auditPerSecond, double auditWithEnvelopesPerSecond) {}

  public EvidenceBenchmark(int entries, long proofTreeSize, Duration flushInterval) {
    this.entries = entries;
    this.proofTreeSize = proofTreeSize;
    this.flushInterval = flushInterval;
  }

  public static Path tempDir() throws IOException {
    return Files.createTempDirectory("vigil-bench-evidence");
  }

  public Result run(Path dir) throws IOException {
    SigningKey service = Keys.generate(Scheme.ED25519, new SecureRandom());
    SigningKey monitor = Keys.generate(Scheme.ED25519, new SecureRandom());
    Instant t0 = Instant.now();
    Path logDir = dir.resolve("evidence");
    byte[][] envelopes = new byte[64][];
    for (int i = 0; i < envelopes.length; i++) {
      envelopes[i] = new Signer(service).sign(new Statement("integrity-service", null, "integrity-service", "green",
          "cdd01ef066bc6cf2", "active", "nonce-" + i, t0, "2.0.0", null, null)).toJson();
    }
    try (EvidenceLog warm = EvidenceLog.open(dir.resolve("warm-up"), "monitor-0", flushInterval, Clock.systemUTC())) {
      append(warm, Math.min(entries, 50_000), t0, envelopes);
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long start = System.nanoTime();
    long cpuStart = threads.getCurrentThreadCpuTime();
    String note;
    try (EvidenceLog log = EvidenceLog.open(logDir, "monitor-0", flushInterval, Clock.systemUTC())) {
      append(log, entries, t0, envelopes);
      note = SignedCheckpoint.sign(log.checkpoint(), NoteKey.signer("vigil.dev/monitor-0", monitor));
    }
    double appendMicros = (System.nanoTime() - start) / 1e3 / entries;
    double appendCpuMicros = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e3 / entries;
    long logBytes = Files.size(logDir.resolve(EvidenceLog.FILE));

    MerkleTree tree = new MerkleTree();
    byte[] leaf = new byte[Rfc9162.HASH];
    for (long i = 0; i < proofTreeSize; i++) {
      leaf[0] = (byte) i;
      leaf[1] = (byte) (i >> 8);
      leaf[2] = (byte) (i >> 16);
      tree.appendLeafHash(Rfc9162.leafHash(leaf));
    }
    Random rnd = new Random(1);
    int proofs = 20_000;
    start = System.nanoTime();
    for (int i = 0; i < proofs; i++) {
      tree.inclusionProof((long) (rnd.nextDouble() * proofTreeSize), proofTreeSize);
    }
    double inclusionMicros = (System.nanoTime() - start) / 1e3 / proofs;
    start = System.nanoTime();
    for (int i = 0; i < proofs; i++) {
      tree.consistencyProof(1 + (long) (rnd.nextDouble() * (proofTreeSize - 1)), proofTreeSize);
    }
    double consistencyMicros = (System.nanoTime() - start) / 1e3 / proofs;

    byte[] noteBytes = note.getBytes(StandardCharsets.UTF_8);
    Path log = logDir.resolve(EvidenceLog.FILE);
    double plain = audit(log, noteBytes, monitor, null);
    Files.writeString(dir.resolve("svc.pub.pem"), service.publicKey().toPem());
    ConfigResult cfg = ConfigLoader.parse("targets:\n  - service: integrity-service\n    environment: green\n"
        + "    url: http://127.0.0.1:8000\n    keys: [{file: svc.pub.pem}]\n", dir, Map.of());
    VigilConfig fleet = cfg.orElseThrow();
    double withEnvelopes = audit(log, noteBytes, monitor, fleet);
    return new Result(entries, logBytes, appendMicros, appendCpuMicros, inclusionMicros, consistencyMicros, plain,
        withEnvelopes);
  }

  private static void append(EvidenceLog log, int n, Instant t0, byte[][] envelopes) throws IOException {
    for (int i = 0; i < n; i++) {
      log.append(new Entry(0, t0, "monitor-0", "integrity-service", "green", Entry.Kind.VERDICT, "compliant",
          "compliant", "nonce-" + (i % envelopes.length), envelopes[i % envelopes.length], null));
    }
  }

  private double audit(Path log, byte[] note, SigningKey monitor, VigilConfig fleet) throws IOException {
    audit1(log, note, monitor, fleet);
    long start = System.nanoTime();
    audit1(log, note, monitor, fleet);
    return entries / ((System.nanoTime() - start) / 1e9);
  }

  private static void audit1(Path log, byte[] note, SigningKey monitor, VigilConfig fleet) throws IOException {
    Audit.Report r = Audit.verify(log, note, monitor.publicKey(), null, fleet);
    if (!r.ok()) {
      throw new IllegalStateException("the benchmark's own log does not verify: " + r.failure().what());
    }
  }
}
