package dev.vigil.cli;

import dev.vigil.attest.Keys;
import dev.vigil.config.BoundedFiles;
import dev.vigil.config.VigilConfig;
import dev.vigil.evidence.Audit;
import dev.vigil.evidence.EvidenceLog;
import dev.vigil.report.MonitorApi;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
  /** The file a monitor keeps its latest signed checkpoint in, in its evidence directory. */
  static final String CHECKPOINT_FILE = "checkpoint.txt";

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
          "With --url the checkpoint and the entries it covers are fetched from the monitor's evidence endpoints.",
          "Exit status: 0 everything verified, 1 the first bad index or failing proof is named, 2 usage or input error."
      })
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;

    @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    /** Where the log is: a directory or a monitor. */
    static final class Source {
      @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The evidence log directory (evidence.dir).")
      Path dir;

      @Option(names = "--url", required = true, paramLabel = "MONITOR",
          description = "A monitor's base URL, e.g. http://monitor:9470: its /api/v1/evidence endpoints.")
      java.net.URI url;
    }

    @Option(names = "--checkpoint", paramLabel = "FILE", description = {"A signed checkpoint of the log. Default: "
        + "DIR/checkpoint.txt (the latest the monitor wrote) with --dir, the monitor's latest with --url."})
    Path checkpoint;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Converters.HumanDuration.class, defaultValue = "30s",
        description = "With --url: the deadline of each request (default ${DEFAULT-VALUE}).")
    java.time.Duration timeout;

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
      Keys.PublicKeyMaterial monitorKey = CliFiles.publicKey(key, "--key");
      byte[] prev = previous == null ? null : CliFiles.read(previous, "--previous-checkpoint", BoundedFiles.KEY_MAX_BYTES);
      PrintWriter out = spec.commandLine().getOut();
      VigilConfig fleet = config == null ? null : CliFiles.config(config, spec.commandLine().getErr());
      Audit.Report report;
      try {
        report = source.url != null ? fromUrl(monitorKey, prev, fleet) : fromDir(monitorKey, prev, fleet);
      } catch (IllegalArgumentException e) {
        throw new Main.InputException("--key " + key + ": " + e.getMessage());
      }
      report.checked().forEach(line -> out.println("ok    " + line));
      if (!report.ok()) {
        out.println("FAIL  " + report.failure().what());
        return 1;
      }
      out.println("verified: " + report.entries() + " entries");
      return 0;
    }

    private Audit.Report fromDir(Keys.PublicKeyMaterial monitorKey, byte[] prev, VigilConfig fleet) {
      Path dir = source.dir;
      if (!Files.isDirectory(dir)) {
        throw new Main.InputException("--dir " + dir + ": no such directory");
      }
      Path log = dir.resolve(EvidenceLog.FILE);
      if (!Files.isRegularFile(log)) {
        throw new Main.InputException("--dir " + dir + ": no " + EvidenceLog.FILE + " in it");
      }
      Path cp = checkpoint != null ? checkpoint : dir.resolve(CHECKPOINT_FILE);
      if (checkpoint == null && !Files.isRegularFile(cp)) {
        throw new Main.InputException("--checkpoint: not given, and no " + CHECKPOINT_FILE + " in --dir " + dir);
      }
      byte[] note = CliFiles.read(cp, "--checkpoint", BoundedFiles.KEY_MAX_BYTES);
      try {
        return Audit.verify(log, note, monitorKey, prev, fleet);
      } catch (IOException e) {
        throw new Main.InputException("--dir " + log + ": " + e.getMessage());
      }
    }

    private Audit.Report fromUrl(Keys.PublicKeyMaterial monitorKey, byte[] prev, VigilConfig fleet) {
      try (MonitorApi api = new MonitorApi(source.url, timeout)) {
        byte[] note = checkpoint != null ? CliFiles.read(checkpoint, "--checkpoint", BoundedFiles.KEY_MAX_BYTES)
            : api.checkpoint();
        long size = coveredSize(note);
        List<byte[]> entries = size < 0 ? List.of() : api.entries(0, size);
        return Audit.verifyEntries(entries, note, monitorKey, prev, fleet);
      } catch (IOException e) {
        throw new Main.InputException("--url " + source.url + ": " + e.getMessage());
      }
    }

    /** The size line of a checkpoint note, or -1 when it has none (the audit then names what is wrong). */
    private static long coveredSize(byte[] note) {
      String[] lines = new String(note, java.nio.charset.StandardCharsets.UTF_8).split("\n", 3);
      return lines.length >= 2 && lines[1].matches("0|[1-9][0-9]{0,17}") ? Long.parseLong(lines[1]) : -1;
    }
  }
}
