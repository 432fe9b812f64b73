package dev.vigil.cli;

import dev.vigil.config.EvidenceConfig;
import dev.vigil.config.VigilConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The demo's evidence log: recorded into {@code <demo dir>/evidence} with a sample every poll
 * interval times six (so a short demo has samples between its changes) and a checkpoint every poll
 * interval, and left behind with the commands an auditor runs on it. Stateless.
 */
final class DemoEvidence {
  private DemoEvidence() {}

  /** {@code config} recording its evidence into {@code dir/evidence}. */
  static VigilConfig configure(VigilConfig config, Path dir, Duration interval) {
    EvidenceConfig e = config.evidence();
    Duration checkpoint = interval.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : interval;
    return config.withEvidence(new EvidenceConfig(dir.resolve("evidence"), interval.multipliedBy(6), e.flushInterval(),
        checkpoint, e.maxAge(), e.maxBytes()));
  }

  /** Prints where the evidence is and the {@code vigil audit verify} and {@code vigil report} commands to run on it. */
  static void printCommands(PrintWriter out, VigilConfig config, Path dir, Instant from, Instant to) {
    Path ev = config.evidence().dir();
    Path key = dir.resolve("demo-event.pub.pem");
    String t1 = from.truncatedTo(ChronoUnit.SECONDS).toString();
    String t2 = to.plusSeconds(1).truncatedTo(ChronoUnit.SECONDS).toString();
    out.println();
    out.println("The monitor's evidence log is left in " + ev + " (checkpoint " + ev.resolve("checkpoint.txt")
        + ", signed with the demo's event key " + key + "). Check it and report on it:");
    out.println("  java -jar target/vigil.jar audit verify --dir " + ev + " --key " + key);
    out.println("  java -jar target/vigil.jar report --dir " + ev + " --checkpoint " + ev.resolve("checkpoint.txt")
        + " --key " + key + " --from " + t1 + " --to " + t2 + " --format html --out demo-report.html");
    out.flush();
  }
}
