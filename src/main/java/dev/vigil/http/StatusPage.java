package dev.vigil.http;

import static dev.vigil.http.Html.esc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.attest.Verdict;
import dev.vigil.score.Breach;
import dev.vigil.score.TargetId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The status page: server-rendered HTML, no external assets. At the top what needs attention (the
 * partition and overload banners, open breaches with a link to each target; a calm line when
 * nothing does), then the grid of services × environments (last verdict by family colour, icon and
 * word; a separate "breach open" marker; score; traffic weight; a strip of the last polls). The
 * rollouts in progress come from the controller's events ({@link TrafficView}). The
 * parts ({@link #parts}) are also served as JSON, which the page's script swaps in place. Pure
 * function of its inputs; thread-safe.
 */
final class StatusPage {
  static final String PARTS_PATH = "/api/v1/status-page";
  /**
   * Above this many targets the grid leaves the history strips (about 7 KB of HTML per target with
   * their titles) to the target pages, so that the page stays a few hundred bytes per target.
   */
  static final int STRIPS_UP_TO = 200;

  private StatusPage() {}

  static String render(MonitorSnapshot s, PollHistory history, int refreshSeconds) {
    return render(s, history, TrafficView.none().snapshot(), refreshSeconds, null);
  }

  /** The page; with a group member's {@code group} view, its group section after the grid ({@link FleetPage}). */
  static String render(MonitorSnapshot s, PollHistory history, int refreshSeconds, GroupView group) {
    return render(s, history, TrafficView.none().snapshot(), refreshSeconds, group);
  }

  static String render(MonitorSnapshot s, PollHistory history, TrafficView.Snapshot traffic, int refreshSeconds) {
    return render(s, history, traffic, refreshSeconds, null);
  }

  /**
   * The page, with what the monitor knows of the controller's work ({@code traffic}) and, for a
   * group member, its group section after the grid ({@link FleetPage}).
   */
  static String render(MonitorSnapshot s, PollHistory history, TrafficView.Snapshot traffic, int refreshSeconds,
      GroupView group) {
    StringBuilder h = new StringBuilder(16384);
    head(h, "Vigil: " + s.monitorId(), refreshSeconds, PARTS_PATH);
    h.append("<header><h1>Vigil: constitutional compliance</h1><p data-part=\"summary\">").append(summary(s))
        .append("</p></header><main><section id=\"attention\" aria-labelledby=\"attention-h\" data-part=\"attention\">")
        .append(attention(s, traffic)).append("</section><section id=\"fleet\" aria-label=\"Targets\"><h2>Targets</h2>")
        .append("<div data-part=\"grid\">").append(grid(s, history, traffic)).append("</div></section>")
        .append(group == null ? "" : FleetPage.sectionElement(group)).append("</main>")
        .append("<footer><p><small>JSON: <a href=\"/api/v1/targets\">/api/v1/targets</a>, <a href=\"/api/v1/breaches\">")
        .append("/api/v1/breaches</a>. Metrics: <a href=\"/metrics\">/metrics</a>. Badges: ")
        .append("<code>/api/v1/badges/{service}/{environment}.svg</code>, <code>…/score.svg</code>.</small></p></footer>");
    return tail(h);
  }

  /** The page's parts as the JSON its script fetches. */
  static ObjectNode parts(MonitorSnapshot s, PollHistory history) {
    return parts(s, history, TrafficView.none().snapshot(), null);
  }

  /** As {@link #parts(MonitorSnapshot, PollHistory)}, with the group section's part for a group member. */
  static ObjectNode parts(MonitorSnapshot s, PollHistory history, GroupView group) {
    return parts(s, history, TrafficView.none().snapshot(), group);
  }

  static ObjectNode parts(MonitorSnapshot s, PollHistory history, TrafficView.Snapshot traffic) {
    return parts(s, history, traffic, null);
  }

  /** The parts with the controller's work and, for a group member, the group section's part. */
  static ObjectNode parts(MonitorSnapshot s, PollHistory history, TrafficView.Snapshot traffic, GroupView group) {
    ObjectNode o = ApiJson.MAPPER.createObjectNode().put("generatedAt", s.takenAt().toString()).put("summary", summary(s))
        .put("attention", attention(s, traffic)).put("grid", grid(s, history, traffic));
    return group == null ? o : o.put("group", FleetPage.section(group));
  }

  /** The document's head and the opening of its body, which names the JSON the script refreshes from. */
  static void head(StringBuilder h, String title, int refreshSeconds, String partsPath) {
    h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
        .append("<noscript><meta http-equiv=\"refresh\" content=\"").append(refreshSeconds).append("\"></noscript>")
        .append("<link rel=\"icon\" href=\"data:,\"><title>").append(esc(title)).append("</title><style>")
        .append(PageAssets.STYLE).append("</style></head><body data-src=\"").append(esc(partsPath)).append("\">");
  }

  static String tail(StringBuilder h) {
    return h.append("<script>").append(PageAssets.SCRIPT).append("</script></body></html>").toString();
  }

  static String summary(MonitorSnapshot s) {
    StringBuilder h = new StringBuilder(256);
    h.append("Monitor <code>").append(esc(s.monitorId())).append("</code>, ").append(s.targets().size())
        .append(" targets, as of ").append(Html.timeAgo(s.takenAt(), s.takenAt())).append(". ");
    new TreeMap<>(s.fleetScores()).forEach((env, score) ->
        h.append("Fleet score <b>").append(esc(env)).append("</b> ").append(Html.pct(score)).append(". "));
    return h.toString();
  }

  static String attention(MonitorSnapshot s, TrafficView.Snapshot traffic) {
    StringBuilder h = new StringBuilder(2048);
    h.append("<h2 id=\"attention-h\">Needs attention</h2>");
    if (s.partitioned()) {
      h.append("<div class=\"banner\" role=\"alert\"><b>⚠ Monitor partitioned:</b> most targets are unreachable at once; ")
          .append("the monitor is likely cut off. Availability breaches are held.</div>");
    }
    if (s.overloaded()) {
      h.append("<div class=\"banner warn\" role=\"alert\"><b>⚠ Monitor overloaded</b> since ")
          .append(Html.timeAgo(s.overloadedSince(), s.takenAt()))
          .append(": its own event loop or verification workers run late; polls that ran meanwhile are not held against ")
          .append("the targets. Availability and latency breaches are held.</div>");
    }
    if (!s.openBreaches().isEmpty()) {
      h.append("<table class=\"breaches\"><caption class=\"banner\"><b>✗ ").append(s.openBreaches().size())
          .append(s.openBreaches().size() == 1 ? " open breach" : " open breaches").append("</b></caption><thead><tr>")
          .append("<th scope=\"col\">service</th><th scope=\"col\">environment</th><th scope=\"col\">rule</th>")
          .append("<th scope=\"col\">severity</th><th scope=\"col\">since</th><th scope=\"col\">detail</th></tr></thead><tbody>");
      for (Breach b : s.openBreaches()) {
        h.append("<tr class=\"f-integrity\" data-breach-id=\"").append(esc(b.breachId())).append("\" title=\"breach ")
            .append(esc(b.breachId())).append("\"><td data-label=\"service\"><a href=\"").append(targetHref(b.target())).append("\">")
            .append(esc(b.target().service())).append("</a></td><td data-label=\"environment\">")
            .append(esc(b.target().environment())).append("</td><td data-label=\"rule\">").append(esc(b.rule()))
            .append("</td><td data-label=\"severity\">").append(esc(b.severity().label()))
            .append("</td><td data-label=\"since\">").append(Html.timeAgo(b.openedAt(), s.takenAt()))
            .append("</td><td data-label=\"detail\">").append(esc(b.verdict().label())).append(": observed <code>")
            .append(esc(Html.clip(b.observed(), 80))).append("</code>, expected <code>").append(esc(Html.clip(b.expected(), 80)))
            .append("</code></td></tr>");
      }
      h.append("</tbody></table>");
    }
    h.append(TrafficHtml.inProgress(traffic, s.takenAt())).append(TrafficHtml.rejected(traffic));
    if (!s.partitioned() && !s.overloaded() && s.openBreaches().isEmpty()) {
      long compliant = s.targets().stream().filter(t -> t.verdict() == Verdict.COMPLIANT).count();
      if (compliant == s.targets().size()) {
        h.append("<p class=\"calm\">✓ All ").append(compliant).append(" targets compliant.</p>");
      } else {
        h.append("<p class=\"calm\">✓ No open breaches; ").append(compliant).append(" of ").append(s.targets().size())
            .append(" targets compliant at their last poll.</p>");
      }
    }
    if (!s.relaxedVerification().isEmpty()) {
      h.append("<div class=\"banner warn\"><b>Verification weakened by configuration:</b><ul>");
      s.relaxedVerification().forEach(r -> h.append("<li>").append(esc(r)).append("</li>"));
      h.append("</ul></div>");
    }
    return h.toString();
  }

  static String grid(MonitorSnapshot s, PollHistory history) {
    return grid(s, history, TrafficView.none().snapshot());
  }

  static String grid(MonitorSnapshot s, PollHistory history, TrafficView.Snapshot traffic) {
    TreeSet<String> envs = new TreeSet<>();
    Map<String, Map<String, TargetStatus>> rows = new TreeMap<>();
    for (TargetStatus t : s.targets()) {
      envs.add(t.id().environment());
      rows.computeIfAbsent(t.id().service(), k -> new TreeMap<>()).put(t.id().environment(), t);
    }
    boolean strips = s.targets().size() <= STRIPS_UP_TO;
    StringBuilder h = new StringBuilder(4096 + s.targets().size() * (strips ? 6144 : 512));
    if (!strips) {
      h.append("<p><small>").append(s.targets().size()).append(" targets: each target's recent polls are on its page ")
          .append("(history strips are shown for up to ").append(STRIPS_UP_TO).append(" targets).</small></p>");
    }
    h.append("<table class=\"grid\"><thead><tr><th scope=\"col\">service</th>");
    envs.forEach(e -> h.append("<th scope=\"col\">").append(esc(e)).append("</th>"));
    h.append("</tr></thead><tbody>");
    for (Map.Entry<String, Map<String, TargetStatus>> row : rows.entrySet()) {
      h.append("<tr><th scope=\"row\">").append(esc(row.getKey())).append("</th>");
      for (String env : envs) {
        TargetStatus t = row.getValue().get(env);
        if (t == null) {
          h.append("<td class=\"f-pending\">—<small> not monitored</small></td>");
        } else {
          cell(h, t, strips ? history.of(t.id()) : null, strips, traffic);
        }
      }
      h.append("</tr>");
    }
    return h.append("</tbody></table>").toString();
  }

  private static void cell(StringBuilder h, TargetStatus t, TargetHistory past, boolean strip,
      TrafficView.Snapshot traffic) {
    String fam = PageAssets.family(t.verdict());
    h.append("<td class=\"cell f-").append(fam).append("\" data-target=\"").append(esc(t.id().service())).append('/')
        .append(esc(t.id().environment())).append("\" data-family=\"").append(fam).append("\"><a class=\"v\" href=\"")
        .append(targetHref(t.id())).append("\" title=\"").append(esc(Html.clip(t.detail(), 300))).append("\">")
        .append("<span aria-hidden=\"true\">").append(PageAssets.icon(t.verdict())).append("</span> ")
        .append(esc(PageAssets.word(t.verdict()))).append("</a>");
    if (!t.openBreaches().isEmpty()) {
      h.append("<span class=\"open\" data-open=\"").append(t.openBreaches().size()).append("\">▲ breach open");
      if (t.openBreaches().size() > 1) {
        h.append(" ×").append(t.openBreaches().size());
      }
      h.append("</span>");
    }
    h.append("<div class=\"meta\">score ").append(Html.pct(t.score())).append(" · ")
        .append(TrafficHtml.cellWeight(traffic, t.id())).append("</div>");
    if (strip) {
      strip(h, past);
    }
    h.append("</td>");
  }

  /** The last {@link PollHistory#STRIP} polls as ticks, each titled with its time, verdict and detail. */
  static void strip(StringBuilder h, TargetHistory past) {
    List<TargetHistory.Sample> polls = past == null ? List.of() : past.last(PollHistory.STRIP);
    long ok = polls.stream().filter(p -> p.verdict() == Verdict.COMPLIANT).count();
    h.append("<div class=\"strip\" role=\"img\" aria-label=\"last ").append(polls.size()).append(" polls: ").append(ok)
        .append(" compliant, ").append(polls.size() - ok).append(" not\">");
    for (int i = polls.size(); i < PollHistory.STRIP; i++) {
      h.append("<i class=\"f-pending\"></i>");
    }
    for (TargetHistory.Sample p : polls) {
      h.append("<i class=\"f-").append(PageAssets.family(p.verdict())).append("\" title=\"").append(Html.time(p.at()))
          .append(' ').append(p.verdict().label());
      if (p.detail() != null && !p.detail().isEmpty()) {
        h.append(": ").append(esc(p.detail()));
      }
      h.append("\"></i>");
    }
    h.append("</div>");
  }

  static String targetHref(TargetId id) {
    return "/targets/" + Html.seg(id.service()) + "/" + Html.seg(id.environment());
  }
}
