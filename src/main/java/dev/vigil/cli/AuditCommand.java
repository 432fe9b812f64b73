package dev.vigil.cli;

import dev.vigil.attest.Keys;
import dev.vigil.config.BoundedFiles;
import dev.vigil.config.VigilConfig;
import dev.vigil.evidence.Audit;
import dev.vigil.evidence.EvidenceLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vigil audit}: checks of the evidence log an auditor runs without trusting the monitor. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Check a monitor's evidence log (evidence-v1).",
    subcommands = {AuditCommand.Verify.class, CommandLine.HelpCommand.class})
final class AuditCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code vigil audit verify}. */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
          "Recompute the Merkle tree of an evidence log directory, check the signed checkpoint (signature by the",
          "monitor's key, size, root), with --previous-checkpoint the consistency proof from an older checkpoint,",
          "and with --config re-verify every stored envelope against the fleet's trusted keys as of its entry's time.",
          "(Fetching the entries from a monitor's API, --url, is not there yet.)",
          "Exit status: 0 everything verified, 1 the first bad index or failing proof is named, 2 usage or input error."
      })
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The evidence log directory (evidence.dir).")
    Path dir;

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "A signed checkpoint of the log.")
    Path checkpoint;

    @Option(names = "--key", required = true, paramLabel = "MONITOR.pub.pem",
        description = "The monitor's public event key (Ed25519, PEM).")
    Path key;

    @Option(names = "--previous-checkpoint", paramLabel = "FILE",
        description = "An older signed checkpoint: the log must extend it (consistency proof).")
    Path previous;

    @Option(names = "--config", paramLabel = "FILE",
        description = "The fleet's configuration: re-verify every stored envelope against its targets' keys.")
    Path config;

    @Override
    public Integer call() {
      if (!Files.isDirectory(dir)) {
        throw new Main.InputException("--dir " + dir + ": no such directory");
      }
      Path log = dir.resolve(EvidenceLog.FILE);
      if (!Files.isRegularFile(log)) {
        throw new Main.InputException("--dir " + dir + ": no " + EvidenceLog.FILE + " in it");
      }
      byte[] note = CliFiles.read(checkpoint, "--checkpoint", BoundedFiles.KEY_MAX_BYTES);
      Keys.PublicKeyMaterial monitorKey = CliFiles.publicKey(key, "--key");
      byte[] prev = previous == null ? null : CliFiles.read(previous, "--previous-checkpoint", BoundedFiles.KEY_MAX_BYTES);
      PrintWriter out = spec.commandLine().getOut();
      VigilConfig fleet = config == null ? null : CliFiles.config(config, spec.commandLine().getErr());
      Audit.Report report;
      try {
        report = Audit.verify(log, note, monitorKey, prev, fleet);
      } catch (IllegalArgumentException e) {
        throw new Main.InputException("--key " + key + ": " + e.getMessage());
      } catch (IOException e) {
        throw new Main.InputException("--dir " + log + ": " + e.getMessage());
      }
      report.checked().forEach(line -> out.println("ok    " + line));
      if (!report.ok()) {
        out.println("FAIL  " + report.failure().what());
        return 1;
      }
      out.println("verified: " + report.entries() + " entries");
      return 0;
    }
  }
}
