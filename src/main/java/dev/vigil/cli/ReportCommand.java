package dev.vigil.cli;

import dev.vigil.attest.Keys;
import dev.vigil.config.BoundedFiles;
import dev.vigil.report.EvidenceSource;
import dev.vigil.report.HtmlReport;
import dev.vigil.report.JsonReport;
import dev.vigil.report.MarkdownReport;
import dev.vigil.report.Report;
import dev.vigil.report.ReportBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil report}: the compliance and readiness report computed from the evidence log. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
        "Compute the compliance and readiness report of the period [--from, --to) from a monitor's evidence log:",
        "per service and environment compliance and availability (time-weighted), time in breach, breaches,",
        "rollbacks, constitutional hashes, the SLO figures of the services' signed reports, evidence counts, the",
        "seed's objectives met or not, and the checkpoint the figures were computed from. docs/report.md defines",
        "every figure. Exit status: 0 report written, 1 the evidence does not check against the checkpoint",
        "(corrupt log, entry out of place, root or signature mismatch), 2 usage or input error."
    })
final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--from", required = true, paramLabel = "T1",
      description = "Start of the period (inclusive): RFC 3339 (2026-11-26T00:00:00Z) or a UTC date (2026-11-26).")
  String from;

  @Option(names = "--to", required = true, paramLabel = "T2", description = "End of the period (exclusive), as --from.")
  String to;

  @Option(names = "--service", paramLabel = "S", description = "Only this service (all its environments).")
  String service;

  @Option(names = "--format", paramLabel = "md|html|json", defaultValue = "md",
      description = "Output format (default: ${DEFAULT-VALUE}).")
  String format;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  static final class Source {
    @Option(names = "--dir", paramLabel = "DIR", description = "The evidence log directory (evidence.dir).")
    Path dir;

    @Option(names = "--url", paramLabel = "MONITOR",
        description = "A monitor's API base URL (e.g. http://127.0.0.1:8080): the checkpoint and entries are read from"
            + " its /api/v1/evidence endpoints, 1000 entries a call.")
    URI url;
  }

  @Option(names = "--timeout", paramLabel = "DURATION", converter = Converters.HumanDuration.class, defaultValue = "30s",
      description = "Timeout of each request with --url (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--checkpoint", paramLabel = "FILE",
      description = "A signed checkpoint: only the entries it covers are used, and they must hash to its root."
          + " Without it the whole log is used and nothing signs the figures.")
  Path checkpoint;

  @Option(names = "--key", paramLabel = "MONITOR.pub.pem",
      description = "The monitor's public event key: verify the checkpoint's signature with it.")
  Path key;

  @Option(names = "--stale-after", paramLabel = "DURATION", converter = Converters.HumanDuration.class,
      defaultValue = "2h", description = "How long one verdict entry vouches for its target when no later one follows"
          + " (default: ${DEFAULT-VALUE}, twice the default evidence.sampleInterval).")
  Duration staleAfter;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the report to FILE instead of standard output.")
  Path out;

  @Override
  public Integer call() {
    Instant t1 = time(from, "--from");
    Instant t2 = time(to, "--to");
    if (!t1.isBefore(t2)) {
      throw new Main.InputException("--from " + t1 + " is not before --to " + t2);
    }
    String fmt = format.toLowerCase(Locale.ROOT);
    if (!fmt.equals("md") && !fmt.equals("html") && !fmt.equals("json")) {
      throw new Main.InputException("--format '" + format + "': expected md, html or json");
    }
    if (staleAfter.isZero() || staleAfter.isNegative()) {
      throw new Main.InputException("--stale-after must be positive");
    }
    if (key != null && checkpoint == null && source.url == null) {
      throw new Main.InputException("--key verifies a checkpoint: give --checkpoint FILE too (or --url: its latest)");
    }
    byte[] note = checkpoint == null ? null : CliFiles.read(checkpoint, "--checkpoint", BoundedFiles.KEY_MAX_BYTES);
    Keys.PublicKeyMaterial monitorKey = key == null ? null : CliFiles.publicKey(key, "--key");
    EvidenceSource.Loaded loaded;
    try {
      loaded = load(note, monitorKey);
    } catch (EvidenceSource.Untrusted e) {
      spec.commandLine().getErr().println("vigil report: the evidence does not check: " + e.getMessage());
      return 1;
    }
    Report report = ReportBuilder.build(loaded.entries(), loaded.checkpoint(), t1, t2, service, staleAfter, Instant.now());
    String text = render(report, fmt);
    if (out == null) {
      spec.commandLine().getOut().print(text);
    } else {
      try {
        Files.writeString(out, text, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new Main.InputException("--out " + out + ": " + e.getMessage());
      }
    }
    return 0;
  }

  private EvidenceSource.Loaded load(byte[] note, Keys.PublicKeyMaterial monitorKey) throws EvidenceSource.Untrusted {
    if (source.url != null) {
      String scheme = source.url.getScheme();
      if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || source.url.getHost() == null
          || source.url.getRawQuery() != null) {
        throw new Main.InputException("--url " + source.url + ": expected an http:// or https:// URL with a host and no query");
      }
      try {
        return EvidenceSource.fromUrl(source.url, note, monitorKey, timeout);
      } catch (java.io.IOException e) {
        throw new Main.InputException("--url " + e.getMessage());
      }
    }
    if (!Files.isDirectory(source.dir)) {
      throw new Main.InputException("--dir " + source.dir + ": no such directory");
    }
    try {
      return EvidenceSource.fromDir(source.dir, note, monitorKey);
    } catch (IOException e) {
      throw new Main.InputException("--dir " + e.getMessage());
    }
  }

  static String render(Report report, String format) {
    return switch (format) {
      case "json" -> JsonReport.render(report);
      case "html" -> HtmlReport.render(report);
      default -> MarkdownReport.render(report);
    };
  }

  /** RFC 3339 with an offset, or a date meaning its 00:00 UTC; an error names the option. */
  static Instant time(String value, String option) {
    try {
      return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException notTime) {
      try {
        return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException notDate) {
        throw new Main.InputException(option + " '" + value
            + "': not an RFC 3339 time such as 2026-11-26T18:00:00Z or a date such as 2026-11-26");
      }
    }
  }
}
