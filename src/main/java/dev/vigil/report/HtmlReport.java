package dev.vigil.report;

import java.util.Map;
import java.util.TreeMap;

/**
 * The report as one self-contained, well-formed (XHTML-compatible) HTML file: inline CSS, an inline
 * SVG chart per target ({@link ReportChart}), no scripts, no external assets. Every string from the
 * evidence or the command line passes through {@link #esc}. Stateless; thread-safe.
 */
public final class HtmlReport {
  private static final String CSS = "body{font:14px system-ui,sans-serif;margin:2em auto;max-width:60em;color:#202124}"
      + "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #dadce0;padding:.2em .5em;text-align:left;"
      + "vertical-align:top}code{font-size:12px;word-break:break-all}.met{color:#1e8e3e}.not_met{color:#c5221f;"
      + "font-weight:bold}.undetermined,.no_evidence{color:#b06000}.notes{background:#fef7e0;padding:.5em 1em}"
      + "svg.chart{width:100%;max-width:720px}svg text{font:11px system-ui,sans-serif;fill:#3c4043}"
      + ".uncovered{fill:#f1f3f4}.breach{fill:#c5221f;fill-opacity:.18}.line{fill:none;stroke:#0b57d0;stroke-width:1.5}"
      + ".v-ok{fill:#1e8e3e}.v-integrity{fill:#c5221f}.v-availability{fill:#e37400}.v-other{fill:#8e63ce}";

  private HtmlReport() {}

  public static String render(Report r) {
    StringBuilder b = new StringBuilder(16384);
    b.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\"><head><meta charset=\"utf-8\"/>")
        .append("<title>Vigil compliance report ").append(esc(r.from().toString())).append(" to ")
        .append(esc(r.to().toString())).append("</title><style>").append(CSS).append("</style></head><body>");
    b.append("<h1>Vigil compliance report</h1><p>Period ").append(r.from()).append(" to ").append(r.to()).append(" (")
        .append(ReportBuilder.duration(r.periodMillis())).append(")")
        .append(r.service() == null ? "" : ", service <code>" + esc(r.service()) + "</code>").append(". Computed at ")
        .append(r.asOf()).append("; a verdict vouches for at most ").append(ReportBuilder.duration(r.staleAfter().toMillis()))
        .append(".</p>");
    if (!r.notes().isEmpty()) {
      b.append("<div class=\"notes\"><strong>Partial or empty evidence:</strong><ul>");
      r.notes().forEach(n -> b.append("<li>").append(esc(n)).append("</li>"));
      b.append("</ul></div>");
    }
    Report.CheckpointInfo cp = r.checkpoint();
    b.append("<h2>Checkpoint</h2><table><tr><th>origin</th><td><code>").append(esc(cp.origin()))
        .append("</code></td></tr><tr><th>size</th><td>").append(cp.size()).append(" entries</td></tr><tr><th>root</th><td><code>")
        .append(esc(cp.root())).append("</code></td></tr><tr><th>signature</th><td>").append(esc(Fmt.signature(cp)))
        .append("</td></tr>");
    for (String line : cp.signatureLines()) {
      b.append("<tr><th>signature line</th><td><code>").append(esc(line)).append("</code></td></tr>");
    }
    b.append("<tr><th>entries used</th><td>").append(r.log().entries()).append(" (").append(r.log().entriesInPeriod())
        .append(" in the period)</td></tr></table>");
    b.append("<h2>Objectives</h2><table><tr><th>objective</th><th>figure</th><th>status</th><th>basis</th></tr>");
    for (Report.Objective o : r.objectives()) {
      b.append("<tr><td>").append(esc(o.rule())).append("</td><td>").append(esc(Fmt.figure(o))).append("</td><td class=\"")
          .append(o.status().label()).append("\">").append(esc(Fmt.status(o.status()))).append("</td><td>")
          .append(esc(o.basis())).append("</td></tr>");
    }
    Report.Fleet f = r.fleet();
    b.append("</table><p>Fleet: ").append(f.targets()).append(" target(s), coverage ").append(esc(Fmt.pct(f.coveragePct())))
        .append(", compliance ").append(esc(Fmt.pct(f.compliancePct()))).append(", availability ")
        .append(esc(Fmt.pct(f.availabilityPct()))).append(", time in breach ").append(ReportBuilder.duration(f.breachMillis()))
        .append(".</p><h2>Services</h2>");
    if (r.services().isEmpty()) {
      b.append("<p>No service has evidence in the period.</p>");
    }
    r.services().forEach(s -> service(b, s, r));
    b.append("<p>Rollouts: evidence-v1 records no rollout entries; none are reported.</p></body></html>\n");
    return b.toString();
  }

  private static void service(StringBuilder b, Report.ServiceReport s, Report r) {
    b.append("<h3><code>").append(esc(s.service())).append("</code> / <code>").append(esc(s.environment()))
        .append("</code></h3>");
    if (!s.notes().isEmpty()) {
      b.append("<ul class=\"notes\">");
      s.notes().forEach(n -> b.append("<li>").append(esc(n)).append("</li>"));
      b.append("</ul>");
    }
    b.append(ReportChart.of(s, r.from(), r.to()));
    b.append("<table>");
    row(b, "coverage", Fmt.pct(s.coveragePct()) + " (" + ReportBuilder.duration(s.coveredMillis()) + ")");
    row(b, "compliance", Fmt.pct(s.compliancePct()));
    row(b, "availability", Fmt.pct(s.availabilityPct()));
    row(b, "time in breach", ReportBuilder.duration(s.breachMillis()));
    row(b, "p95 latency ms (min / median / max)", Fmt.stats(s.slo().p95LatencyMs()));
    row(b, "requests per second", Fmt.stats(s.slo().requestsPerSecond()));
    row(b, "error rate", Fmt.stats(s.slo().errorRate()));
    Map<String, Long> kinds = new TreeMap<>(s.counts().byKind());
    row(b, "evidence entries", kinds + ", " + s.counts().withEnvelope() + " with an envelope, "
        + s.counts().unreadableEnvelopes() + " unreadable");
    new TreeMap<>(s.verdictMillis()).forEach((v, ms) -> row(b, "time under " + v, ReportBuilder.duration(ms)));
    b.append("</table>");
    if (!s.breaches().isEmpty()) {
      b.append("<table><tr><th>breach</th><th>rule</th><th>opened</th><th>resolved</th><th>duration</th></tr>");
      for (Report.BreachRecord x : s.breaches()) {
        b.append("<tr><td><code>").append(esc(x.breachId())).append("</code></td><td>").append(esc(x.rule()))
            .append("</td><td>").append(x.opened() == null ? "before the log" : x.opened()).append("</td><td>")
            .append(x.resolved() == null ? "open" : x.resolved()).append(x.openAtEnd() ? " (open at end)" : "")
            .append("</td><td>").append(x.durationMillis() == null ? "n/a" : ReportBuilder.duration(x.durationMillis()))
            .append("</td></tr>");
      }
      b.append("</table>");
    }
    if (!s.rollbacks().isEmpty()) {
      b.append("<table><tr><th>rollback at</th><th>outcome</th><th>breach</th><th>detail</th></tr>");
      for (Report.RollbackRecord x : s.rollbacks()) {
        b.append("<tr><td>").append(x.time()).append("</td><td>").append(esc(x.outcome())).append("</td><td><code>")
            .append(esc(x.breachId())).append("</code></td><td>").append(esc(x.detail())).append("</td></tr>");
      }
      b.append("</table>");
    }
    if (!s.hashes().isEmpty()) {
      b.append("<table><tr><th>constitutional hash</th><th>reports</th><th>first</th><th>last</th></tr>");
      for (Report.HashSeen h : s.hashes()) {
        b.append("<tr><td><code>").append(esc(h.hash())).append("</code></td><td>").append(h.count()).append("</td><td>")
            .append(h.first()).append("</td><td>").append(h.last()).append("</td></tr>");
      }
      b.append("</table>");
    }
  }

  private static void row(StringBuilder b, String name, String value) {
    b.append("<tr><th>").append(esc(name)).append("</th><td>").append(esc(value)).append("</td></tr>");
  }

  /**
   * Text or attribute content: the five HTML/XML specials as entities, control characters as a
   * space, and what XML 1.0 forbids (lone surrogates, U+FFFE, U+FFFF) as U+FFFD; "" for null.
   */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            b.append(c).append(s.charAt(++i));
          } else if (Character.isSurrogate(c) || c == '\uFFFE' || c == '\uFFFF') {
            b.append('\uFFFD');
          } else {
            b.append(c < 0x20 || c == 0x7f ? ' ' : c);
          }
        }
      }
    }
    return b.toString();
  }
}
