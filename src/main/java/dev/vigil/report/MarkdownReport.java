package dev.vigil.report;

import java.util.Map;
import java.util.TreeMap;

/**
 * The report as Markdown. Every string from the evidence (service names, details, ids, hashes) is
 * written as inline code or escaped table text, so it cannot add Markdown structure (or, once
 * rendered to HTML, markup). Stateless; thread-safe.
 */
public final class MarkdownReport {
  private MarkdownReport() {}

  public static String render(Report r) {
    StringBuilder b = new StringBuilder(8192);
    b.append("# Vigil compliance report\n\n");
    b.append("Period: ").append(r.from()).append(" to ").append(r.to()).append(" (").append(ReportBuilder.duration(r.periodMillis()))
        .append(")").append(r.service() == null ? "" : ", service " + code(r.service())).append(". Computed at ")
        .append(r.asOf()).append("; a verdict vouches for at most ").append(ReportBuilder.duration(r.staleAfter().toMillis()))
        .append(".\n\n");
    if (!r.notes().isEmpty()) {
      b.append("**Partial or empty evidence:**\n\n");
      r.notes().forEach(n -> b.append("- ").append(text(n)).append('\n'));
      b.append('\n');
    }
    Report.CheckpointInfo cp = r.checkpoint();
    b.append("## Checkpoint\n\n| | |\n|---|---|\n");
    b.append("| origin | ").append(code(cp.origin())).append(" |\n| size | ").append(cp.size()).append(" entries |\n")
        .append("| root | ").append(code(cp.root())).append(" |\n| signature | ").append(text(Fmt.signature(cp))).append(" |\n");
    for (String line : cp.signatureLines()) {
      b.append("| signature line | ").append(code(line)).append(" |\n");
    }
    b.append("| entries used | ").append(r.log().entries()).append(" (").append(r.log().entriesInPeriod())
        .append(" in the period; log from ").append(Fmt.time(r.log().first())).append(" to ").append(Fmt.time(r.log().last()))
        .append(") |\n\n");
    b.append("## Objectives\n\n| objective | figure | status | basis |\n|---|---|---|---|\n");
    for (Report.Objective o : r.objectives()) {
      b.append("| ").append(text(o.rule())).append(" | ").append(Fmt.figure(o)).append(" | ").append(Fmt.status(o.status()))
          .append(" | ").append(text(o.basis())).append(" |\n");
    }
    Report.Fleet f = r.fleet();
    b.append("\nFleet: ").append(f.targets()).append(" target(s), coverage ").append(Fmt.pct(f.coveragePct()))
        .append(", compliance ").append(Fmt.pct(f.compliancePct())).append(", availability ")
        .append(Fmt.pct(f.availabilityPct())).append(", time in breach ").append(ReportBuilder.duration(f.breachMillis()))
        .append(".\n\n## Services\n");
    for (Report.ServiceReport s : r.services()) {
      service(b, s);
    }
    if (r.services().isEmpty()) {
      b.append("\nNo service has evidence in the period.\n");
    }
    b.append("\nRollouts: evidence-v1 records no rollout entries; none are reported.\n");
    return b.toString();
  }

  private static void service(StringBuilder b, Report.ServiceReport s) {
    b.append("\n### ").append(code(s.service())).append(" / ").append(code(s.environment())).append("\n\n");
    s.notes().forEach(n -> b.append("- ").append(text(n)).append('\n'));
    b.append("\n| figure | value |\n|---|---|\n");
    b.append("| coverage | ").append(Fmt.pct(s.coveragePct())).append(" (").append(ReportBuilder.duration(s.coveredMillis()))
        .append(") |\n| compliance | ").append(Fmt.pct(s.compliancePct())).append(" |\n| availability | ")
        .append(Fmt.pct(s.availabilityPct())).append(" |\n| time in breach | ").append(ReportBuilder.duration(s.breachMillis()))
        .append(" |\n| p95 latency ms (min / median / max) | ").append(Fmt.stats(s.slo().p95LatencyMs()))
        .append(" |\n| requests per second | ").append(Fmt.stats(s.slo().requestsPerSecond()))
        .append(" |\n| error rate | ").append(Fmt.stats(s.slo().errorRate())).append(" |\n");
    Map<String, Long> kinds = new TreeMap<>(s.counts().byKind());
    b.append("| evidence entries | ").append(text(kinds.toString())).append(", ").append(s.counts().withEnvelope())
        .append(" with an envelope, ").append(s.counts().unreadableEnvelopes()).append(" unreadable |\n");
    new TreeMap<>(s.verdictMillis()).forEach((v, ms) -> b.append("| time under ").append(code(v)).append(" | ")
        .append(ReportBuilder.duration(ms)).append(" |\n"));
    if (!s.breaches().isEmpty()) {
      b.append("\n| breach | rule | opened | resolved | duration |\n|---|---|---|---|---|\n");
      for (Report.BreachRecord x : s.breaches()) {
        b.append("| ").append(code(x.breachId())).append(" | ").append(code(x.rule())).append(" | ")
            .append(x.opened() == null ? "before the log" : x.opened().toString()).append(" | ")
            .append(x.resolved() == null ? "open" : x.resolved().toString()).append(x.openAtEnd() ? " (open at end)" : "")
            .append(" | ").append(x.durationMillis() == null ? "n/a" : ReportBuilder.duration(x.durationMillis())).append(" |\n");
      }
    }
    if (!s.rollbacks().isEmpty()) {
      b.append("\n| rollback at | outcome | breach | detail |\n|---|---|---|---|\n");
      for (Report.RollbackRecord x : s.rollbacks()) {
        b.append("| ").append(x.time()).append(" | ").append(code(x.outcome())).append(" | ").append(code(x.breachId()))
            .append(" | ").append(code(x.detail())).append(" |\n");
      }
    }
    if (!s.hashes().isEmpty()) {
      b.append("\n| constitutional hash | reports | first | last |\n|---|---|---|---|\n");
      for (Report.HashSeen h : s.hashes()) {
        b.append("| ").append(code(h.hash())).append(" | ").append(h.count()).append(" | ").append(h.first()).append(" | ")
            .append(h.last()).append(" |\n");
      }
    }
  }

  /**
   * A string from the evidence as an inline code span. Code spans show entities literally, so the
   * characters that could end the span or the table cell or open markup are replaced by look-alikes
   * (backtick by a prime, pipe by U+2223, angle brackets by U+2039/U+203A) and control characters by
   * spaces.
   */
  static String code(String s) {
    if (s == null) {
      return "n/a";
    }
    return "`" + clean(s).replace('`', '\u2032') + "`";
  }

  /** Plain table text: HTML specials as entities, Markdown specials and the pipe backslash-escaped. */
  static String text(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (char c : s.toCharArray()) {
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '\\', '*', '_', '[', ']', '`', '#', '!', '|' -> b.append('\\').append(c);
        default -> b.append(c < 0x20 || c == 0x7f ? ' ' : c);
      }
    }
    return b.toString();
  }

  private static String clean(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      b.append(c < 0x20 || c == 0x7f ? ' ' : c == '|' ? '\u2223' : c == '<' ? '\u2039' : c == '>' ? '\u203a' : c);
    }
    return b.toString();
  }
}
