package dev.vigil.http;

import static dev.vigil.http.Html.esc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.score.Breach;
import dev.vigil.score.TargetId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The page of one target ({@code /targets/{service}/{environment}}): its last verdict, verdict
 * history, score and probe latency over the last hour as inline SVG charts, open and recent
 * breaches, its traffic weight and its service's rollouts and rollbacks ({@link TrafficView}), the keys it trusts and the last envelope's signer. Pure function of its inputs;
 * thread-safe.
 */
final class TargetPage {
  static final Duration SPAN = Duration.ofHours(1);

  private TargetPage() {}

  /** The page, or null when the snapshot has no such target. */
  static String render(MonitorSnapshot s, PollHistory history, TargetId id, int refreshSeconds) {
    return render(s, history, TrafficView.none().snapshot(), id, refreshSeconds);
  }

  static String render(MonitorSnapshot s, PollHistory history, TrafficView.Snapshot traffic, TargetId id,
      int refreshSeconds) {
    TargetStatus t = find(s, id);
    if (t == null) {
      return null;
    }
    StringBuilder h = new StringBuilder(32768);
    StatusPage.head(h, "Vigil: " + id.service() + "/" + id.environment(), refreshSeconds, partsPath(id));
    h.append("<header><p><a href=\"/\">← all targets</a></p><h1>").append(esc(id.service())).append(" <small>")
        .append(esc(id.environment())).append("</small></h1></header><main data-part=\"main\">").append(main(s, history, traffic, t))
        .append("</main>");
    return StatusPage.tail(h);
  }

  /** The JSON the page's script fetches, or null when the snapshot has no such target. */
  static ObjectNode parts(MonitorSnapshot s, PollHistory history, TargetId id) {
    return parts(s, history, TrafficView.none().snapshot(), id);
  }

  static ObjectNode parts(MonitorSnapshot s, PollHistory history, TrafficView.Snapshot traffic, TargetId id) {
    TargetStatus t = find(s, id);
    return t == null ? null : ApiJson.MAPPER.createObjectNode().put("generatedAt", s.takenAt().toString())
        .put("main", main(s, history, traffic, t));
  }

  static String partsPath(TargetId id) {
    return "/api/v1/status-page/targets/" + Html.seg(id.service()) + "/" + Html.seg(id.environment());
  }

  private static String main(MonitorSnapshot s, PollHistory history, TrafficView.Snapshot traffic, TargetStatus t) {
    Instant now = s.takenAt();
    StringBuilder h = new StringBuilder(32768);
    String fam = PageAssets.family(t.verdict());
    h.append("<p class=\"cell f-").append(fam).append("\" data-family=\"").append(fam).append("\"><span class=\"v\">")
        .append("<span aria-hidden=\"true\">").append(PageAssets.icon(t.verdict())).append("</span> ")
        .append(esc(PageAssets.word(t.verdict()))).append("</span>");
    if (!t.openBreaches().isEmpty()) {
      h.append("<span class=\"open\">▲ breach open</span>");
    }
    h.append(" — ").append(esc(Html.clip(t.detail(), 500))).append("</p><table class=\"kv\"><tbody>")
        .append(row("score", Html.pct(t.score())))
        .append(row("traffic weight", TrafficHtml.weightRow(traffic, t.id(), now)))
        .append(row("last poll", Html.timeAgo(t.checkedAt(), now)))
        .append(row("verdict since", Html.timeAgo(t.changedAt(), now)))
        .append(row("polls", Long.toString(t.polls())))
        .append(row("signed", t.signed() ? "yes" : "no"))
        .append(row("url", "<code>" + esc(t.url()) + "</code>"))
        .append(row("mode", esc(t.mode())))
        .append("</tbody></table>");
    TargetHistory past = history.of(t.id());
    List<TargetHistory.Sample> polls = past == null ? List.of() : past.since(now.minus(SPAN));
    Instant from = polls.isEmpty() || polls.get(0).at().isBefore(now.minus(SPAN)) ? now.minus(SPAN)
        : polls.get(0).at().minusSeconds(1);
    h.append("<h2>Last hour</h2><p><small>").append(polls.size()).append(" polls since ").append(Html.time(from))
        .append(" (at most ").append(past == null ? PollHistory.CAPACITY : past.capacity())
        .append(" held for this target).</small></p>")
        .append(SvgChart.verdicts(polls, from, now, "verdict of each poll, last hour"))
        .append(SvgChart.line(polls, p -> p.score() * 100, 100, "%", from, now, "compliance score, last hour"))
        .append(SvgChart.line(polls, TargetHistory.Sample::latencyMillis, 10, "ms", from, now, "probe latency, last hour"));
    breaches(h, "Open breaches", t.openBreaches(), now);
    breaches(h, "Recently resolved breaches",
        s.recentlyResolved().stream().filter(b -> b.target().equals(t.id())).toList(), now);
    TrafficHtml.section(h, traffic, t.id(), now);
    keys(h, history, t, past, now);
    return h.toString();
  }

  private static void breaches(StringBuilder h, String title, List<Breach> list, Instant now) {
    h.append("<h2>").append(title).append(" (").append(list.size()).append(")</h2>");
    if (list.isEmpty()) {
      h.append("<p>None.</p>");
      return;
    }
    h.append("<table class=\"breaches\"><thead><tr><th scope=\"col\">rule</th><th scope=\"col\">severity</th>")
        .append("<th scope=\"col\">opened</th><th scope=\"col\">resolved</th><th scope=\"col\">detail</th></tr></thead><tbody>");
    for (Breach b : list) {
      h.append("<tr><td data-label=\"rule\">").append(esc(b.rule())).append("</td><td data-label=\"severity\">")
          .append(esc(b.severity().label())).append("</td><td data-label=\"opened\">").append(Html.timeAgo(b.openedAt(), now))
          .append("</td><td data-label=\"resolved\">").append(b.resolvedAt() == null ? "open" : Html.timeAgo(b.resolvedAt(), now))
          .append("</td><td data-label=\"detail\">").append(esc(b.verdict().label())).append(": observed <code>")
          .append(esc(Html.clip(b.observed(), 120))).append("</code>, expected <code>").append(esc(Html.clip(b.expected(), 120)))
          .append("</code> <small>").append(esc(Html.clip(b.breachId(), 160))).append("</small></td></tr>");
    }
    h.append("</tbody></table>");
  }

  private static void keys(StringBuilder h, PollHistory history, TargetStatus t, TargetHistory past, Instant now) {
    List<String> signers = past == null ? List.of() : past.signers();
    h.append("<h2>Trusted keys</h2><table class=\"breaches\"><thead><tr><th scope=\"col\">keyid</th>")
        .append("<th scope=\"col\">scheme</th><th scope=\"col\">valid</th><th scope=\"col\">signed the last envelope</th>")
        .append("</tr></thead><tbody>");
    for (PollHistory.KeyInfo k : history.keys(t.id())) {
      h.append("<tr><td data-label=\"keyid\"><code>").append(esc(k.keyId())).append("</code></td><td data-label=\"scheme\">")
          .append(esc(k.scheme())).append("</td><td data-label=\"valid\">").append(validity(k, now))
          .append("</td><td data-label=\"signed the last envelope\">").append(signers.contains(k.keyId()) ? "✓ yes" : "no")
          .append("</td></tr>");
    }
    h.append("</tbody></table><p>Last signed envelope: ");
    if (signers.isEmpty()) {
      h.append("none verified yet.</p>");
    } else {
      h.append("signed by <code>").append(esc(String.join(", ", signers))).append("</code>, ")
          .append(Html.timeAgo(past.signedAt(), now)).append(".</p>");
    }
  }

  private static String validity(PollHistory.KeyInfo k, Instant now) {
    String span = (k.notBefore() == null ? "always" : "from " + Html.time(k.notBefore()))
        + (k.notAfter() == null ? "" : " until " + Html.time(k.notAfter()));
    if (k.revoked()) {
      return "✗ revoked (" + span + ")";
    }
    boolean valid = (k.notBefore() == null || !now.isBefore(k.notBefore())) && (k.notAfter() == null || now.isBefore(k.notAfter()));
    return (valid ? "✓ " : "✗ not now: ") + span;
  }

  private static String row(String th, String td) {
    return "<tr><th scope=\"row\">" + th + "</th><td>" + td + "</td></tr>";
  }

  static TargetStatus find(MonitorSnapshot s, TargetId id) {
    for (TargetStatus t : s.targets()) {
      if (t.id().equals(id)) {
        return t;
      }
    }
    return null;
  }
}
