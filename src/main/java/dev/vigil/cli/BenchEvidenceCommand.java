package dev.vigil.cli;

import dev.vigil.bench.EvidenceBenchmark;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vigil bench evidence}. */
@Command(
    name = "evidence",
    mixinStandardHelpOptions = true,
    description = {
        "The evidence log: append cost per entry (fsync batched), inclusion and consistency proof generation",
        "in a tree of --proof-tree-size entries, and 'audit verify' throughput with and without envelope",
        "re-verification. One thread."
    })
final class BenchEvidenceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--entries", paramLabel = "N", defaultValue = "200000",
      description = "Entries appended and audited (default: ${DEFAULT-VALUE}).")
  int entries;

  @Option(names = "--proof-tree-size", paramLabel = "N", defaultValue = "1000000",
      description = "Tree size for proof generation (default: ${DEFAULT-VALUE}).")
  long proofTreeSize;

  @Option(names = "--flush-interval", paramLabel = "DURATION", defaultValue = "1s", converter = Converters.HumanDuration.class,
      description = "fsync batching (default: ${DEFAULT-VALUE}).")
  Duration flushInterval;

  @Option(names = "--dir", paramLabel = "DIR", description = "Working directory (default: a new temporary one).")
  Path dir;

  @Override
  public Integer call() throws Exception {
    if (entries < 1 || proofTreeSize < 2) {
      throw new Main.InputException("--entries must be at least 1 and --proof-tree-size at least 2");
    }
    Path work = dir != null ? dir : EvidenceBenchmark.tempDir();
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "vigil bench evidence: %d entries, flush interval %s, proofs at %d entries, dir %s, Java %s%n",
        entries, flushInterval, proofTreeSize, work, System.getProperty("java.version"));
    out.flush();
    EvidenceBenchmark.Result r = new EvidenceBenchmark(entries, proofTreeSize, flushInterval).run(work);
    out.printf(Locale.ROOT, "append             %.2f µs per entry amortized wall clock, %.2f µs CPU of the appending thread"
        + " (%d entries after a warm-up, %.0f bytes each on disk)%n",
        r.appendMicros(), r.appendCpuMicros(), r.entries(), (double) r.logBytes() / r.entries());
    out.printf(Locale.ROOT, "inclusion proof    %.2f µs at %d entries%n", r.inclusionMicros(), proofTreeSize);
    out.printf(Locale.ROOT, "consistency proof  %.2f µs at %d entries%n", r.consistencyMicros(), proofTreeSize);
    out.printf(Locale.ROOT, "audit verify       %.0f entries/s; with envelope re-verification %.0f entries/s%n",
        r.auditPerSecond(), r.auditWithEnvelopesPerSecond());
    return 0;
  }
}
