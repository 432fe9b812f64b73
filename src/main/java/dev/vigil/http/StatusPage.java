package dev.vigil.http;

import dev.vigil.score.Breach;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The status page: server-rendered HTML with no external assets, refreshing itself, showing the
 * fleet at a glance (services × environments: verdict, score, open breaches, last change). Pure
 * function of its inputs; thread-safe.
 */
final class StatusPage {
  private StatusPage() {}

  static String render(MonitorSnapshot s, int refreshSeconds) {
    return render(s.monitorId(), s.targets(), new TreeMap<>(s.fleetScores()), s.partitioned(), s.overloaded(),
        s.relaxedVerification(), s.openBreaches(), s.takenAt(), refreshSeconds);
  }

  static String render(String monitorId, List<TargetStatus> targets, Map<String, Double> fleet, boolean partitioned,
      boolean overloaded, List<String> relaxed, List<Breach> open, Instant now, int refreshSeconds) {
    TreeSet<String> envs = new TreeSet<>();
    Map<String, Map<String, TargetStatus>> grid = new TreeMap<>();
    for (TargetStatus t : targets) {
      envs.add(t.id().environment());
      grid.computeIfAbsent(t.id().service(), k -> new TreeMap<>()).put(t.id().environment(), t);
    }
    StringBuilder h = new StringBuilder(8192);
    h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta http-equiv=\"refresh\" content=\"").append(refreshSeconds).append("\">")
        .append("<title>Vigil: ").append(esc(monitorId)).append("</title><style>")
        .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}")
        .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.4em .7em;text-align:left;vertical-align:top}")
        .append(".ok{background:#e6f4ea}.bad{background:#fce8e6}.warn{background:#fef7e0}.none{background:#f1f3f4}")
        .append(".banner{padding:.7em;margin:1em 0;background:#fce8e6;border:1px solid #d93025}")
        .append("small{color:#555}code{font-size:.9em}</style></head><body>");
    h.append("<h1>Vigil: constitutional compliance</h1><p>Monitor <code>").append(esc(monitorId))
        .append("</code> at ").append(now).append(", ").append(targets.size()).append(" targets. ");
    for (Map.Entry<String, Double> e : fleet.entrySet()) {
      h.append("Fleet score <b>").append(esc(e.getKey())).append("</b>: ").append(pct(e.getValue())).append(". ");
    }
    h.append("</p>");
    if (partitioned) {
      h.append("<div class=\"banner\"><b>Monitor partitioned:</b> most targets are unreachable at once; the monitor ")
          .append("is likely cut off. Availability breaches are held.</div>");
    }
    if (overloaded) {
      h.append("<div class=\"banner\"><b>Monitor overloaded:</b> its own event loop or verification workers run late; ")
          .append("polls that ran meanwhile are not held against the targets. Availability and latency breaches are held.</div>");
    }
    if (!relaxed.isEmpty()) {
      h.append("<div class=\"banner\"><b>Verification weakened by configuration:</b><ul>");
      relaxed.forEach(r -> h.append("<li>").append(esc(r)).append("</li>"));
      h.append("</ul></div>");
    }
    h.append("<table><tr><th>service</th>");
    envs.forEach(e -> h.append("<th>").append(esc(e)).append("</th>"));
    h.append("</tr>");
    for (Map.Entry<String, Map<String, TargetStatus>> row : grid.entrySet()) {
      h.append("<tr><th>").append(esc(row.getKey())).append("</th>");
      for (String env : envs) {
        TargetStatus t = row.getValue().get(env);
        if (t == null) {
          h.append("<td class=\"none\">—</td>");
          continue;
        }
        h.append("<td class=\"").append(cls(t)).append("\"><b>")
            .append(t.verdict() == null ? "pending" : esc(t.verdict().label())).append("</b>")
            .append(t.signed() ? "" : t.verdict() == null ? "" : " <small>(unsigned)</small>")
            .append("<br>score ").append(t.score() == null ? "—" : pct(t.score()))
            .append("<br>breaches ").append(t.openBreaches().size())
            .append("<br><small>changed ").append(t.changedAt() == null ? "—" : t.changedAt().toString())
            .append("</small><br><small title=\"").append(esc(t.detail())).append("\">")
            .append(esc(clip(t.detail(), 60))).append("</small></td>");
      }
      h.append("</tr>");
    }
    h.append("</table><h2>Open breaches (").append(open.size()).append(")</h2>");
    if (open.isEmpty()) {
      h.append("<p>None.</p>");
    } else {
      h.append("<table><tr><th>service</th><th>environment</th><th>rule</th><th>severity</th><th>verdict</th>")
          .append("<th>observed</th><th>expected</th><th>opened</th><th>id</th></tr>");
      for (Breach b : open) {
        h.append("<tr class=\"bad\"><td>").append(esc(b.target().service())).append("</td><td>")
            .append(esc(b.target().environment())).append("</td><td>").append(esc(b.rule())).append("</td><td>")
            .append(b.severity().label()).append("</td><td>").append(b.verdict().label()).append("</td><td>")
            .append(esc(b.observed())).append("</td><td>").append(esc(b.expected())).append("</td><td>")
            .append(b.openedAt()).append("</td><td><code>").append(esc(b.breachId())).append("</code></td></tr>");
      }
      h.append("</table>");
    }
    h.append("<p><small>JSON: <a href=\"/api/v1/targets\">/api/v1/targets</a>, <a href=\"/api/v1/breaches\">")
        .append("/api/v1/breaches</a>. Metrics: <a href=\"/metrics\">/metrics</a>. Refreshes every ")
        .append(refreshSeconds).append(" s.</small></p></body></html>");
    return h.toString();
  }

  private static String cls(TargetStatus t) {
    if (t.verdict() == null) {
      return "none";
    }
    if (!t.openBreaches().isEmpty() || t.verdict().isIntegrity()) {
      return "bad";
    }
    return t.verdict() == dev.vigil.attest.Verdict.COMPLIANT ? "ok" : "warn";
  }

  private static String pct(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f %%", v * 100) : "—";
  }

  private static String clip(String s, int n) {
    return s.length() > n ? s.substring(0, n) + "…" : s;
  }

  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
