package dev.vigil.http;

import static dev.vigil.http.Html.esc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.score.Breach;
import java.util.List;
import java.util.Map;

/**
 * A group member's pages: the "Group" section of the status page (the shards this instance owns,
 * the fleet-wide scores and targets per instance, every open breach of the fleet with its owner)
 * and the fleet page {@code /fleet} (every target of the state topic with its shard, owner, last
 * verdict and score). Both read the {@link GroupView}; the fleet page lists at most {@link #ROWS}
 * targets ({@code /api/v1/fleet} has them all). Every string from the state topic is escaped.
 * Pure functions; thread-safe.
 */
final class FleetPage {
  static final String PATH = "/fleet";
  static final String PARTS_PATH = StatusPage.PARTS_PATH + "/fleet";
  /** Rows of the fleet page at most (about 300 bytes each). */
  static final int ROWS = 5_000;
  /** Open breaches listed in the status page's section at most. */
  static final int BREACHES = 50;

  private FleetPage() {}

  /** The status page's section; its inner part ({@link #section}) is refreshed in place. */
  static String sectionElement(GroupView g) {
    return "<section id=\"group\" aria-labelledby=\"group-h\"><div data-part=\"group\">" + section(g) + "</div></section>";
  }

  /** The inside of the status page's group section. */
  static String section(GroupView g) {
    StringBuilder h = new StringBuilder(1024);
    h.append("<h2 id=\"group-h\">Group <code>").append(esc(g.name())).append("</code></h2><p data-owned=\"")
        .append(g.owned().size()).append("\">This instance, <code>").append(esc(g.monitorId())).append("</code>, owns ")
        .append(g.owned().size()).append(" of ").append(g.shards()).append(" shards");
    if (g.owned().isEmpty()) {
      h.append(" (none: it polls nothing until the group assigns it shards)");
    } else {
      h.append(": <span class=\"shards\">").append(shardList(g.owned())).append("</span>");
    }
    h.append("; the targets above are theirs.</p><p>The whole fleet, from the state topic: ").append(g.targets().size())
        .append(" targets");
    g.fleetScores().forEach((env, score) ->
        h.append(", fleet score <b>").append(esc(env)).append("</b> ").append(Html.pct(score)));
    h.append(". By instance: ");
    boolean first = true;
    for (Map.Entry<String, Integer> o : g.owners().entrySet()) {
      h.append(first ? "" : ", ").append("<code>").append(esc(o.getKey())).append("</code> ").append(o.getValue());
      first = false;
    }
    h.append(first ? "none yet" : "").append(". <a href=\"").append(PATH).append("\">Every target and its owner</a>.");
    if (!g.caughtUp()) {
      h.append(" <small>(still reading the state topic)</small>");
    }
    h.append("</p>");
    List<Map.Entry<Breach, String>> open = g.openBreaches();
    if (!open.isEmpty()) {
      h.append("<table class=\"breaches\"><caption>").append(open.size())
          .append(open.size() == 1 ? " open breach" : " open breaches").append(" in the fleet</caption><thead><tr>")
          .append("<th scope=\"col\">service</th><th scope=\"col\">environment</th><th scope=\"col\">rule</th>")
          .append("<th scope=\"col\">owner</th><th scope=\"col\">since</th></tr></thead><tbody>");
      for (Map.Entry<Breach, String> e : open.subList(0, Math.min(BREACHES, open.size()))) {
        Breach b = e.getKey();
        h.append("<tr data-breach-id=\"").append(esc(b.breachId())).append("\"><td data-label=\"service\">")
            .append(esc(b.target().service())).append("</td><td data-label=\"environment\">")
            .append(esc(b.target().environment())).append("</td><td data-label=\"rule\">").append(esc(b.rule()))
            .append("</td><td data-label=\"owner\"><code>").append(esc(e.getValue()))
            .append("</code></td><td data-label=\"since\">").append(Html.timeAgo(b.openedAt(), g.takenAt()))
            .append("</td></tr>");
      }
      h.append("</tbody></table>");
      if (open.size() > BREACHES) {
        h.append("<p><small>").append(open.size() - BREACHES).append(" more on the <a href=\"").append(PATH)
            .append("\">fleet page</a>.</small></p>");
      }
    }
    return h.toString();
  }

  /** The fleet page. */
  static String render(GroupView g, int refreshSeconds) {
    StringBuilder h = new StringBuilder(4096 + Math.min(ROWS, g.targets().size()) * 320);
    StatusPage.head(h, "Vigil: group " + g.name(), refreshSeconds, PARTS_PATH);
    h.append("<header><h1>Vigil: group <code>").append(esc(g.name())).append("</code></h1><p><a href=\"/\">")
        .append("This instance's status page</a></p></header><main><div data-part=\"fleet\">").append(table(g))
        .append("</div></main>");
    return StatusPage.tail(h);
  }

  /** The fleet page's part as the JSON its script fetches. */
  static ObjectNode parts(GroupView g) {
    return ApiJson.MAPPER.createObjectNode().put("generatedAt", g.takenAt().toString()).put("fleet", table(g));
  }

  static String table(GroupView g) {
    StringBuilder h = new StringBuilder(1024 + Math.min(ROWS, g.targets().size()) * 320);
    h.append(section(g).replace("id=\"group-h\"", "id=\"fleet-h\""));
    h.append("<table class=\"fleet\"><caption>Every target as last saved by its owner</caption><thead><tr>")
        .append("<th scope=\"col\">service</th><th scope=\"col\">environment</th><th scope=\"col\">shard</th>")
        .append("<th scope=\"col\">owner</th><th scope=\"col\">last verdict</th><th scope=\"col\">score</th>")
        .append("<th scope=\"col\">saved</th></tr></thead><tbody>");
    int n = 0;
    for (GroupView.FleetTarget t : g.targets()) {
      if (n++ == ROWS) {
        break;
      }
      h.append("<tr class=\"f-").append(PageAssets.family(t.verdict())).append("\" data-target=\"")
          .append(esc(t.id().service())).append('/').append(esc(t.id().environment())).append("\" data-owner=\"")
          .append(esc(t.owner() == null ? GroupView.UNKNOWN : t.owner())).append("\"><td>");
      if (t.here()) {
        h.append("<a href=\"").append(StatusPage.targetHref(t.id())).append("\">").append(esc(t.id().service()))
            .append("</a>");
      } else {
        h.append(esc(t.id().service()));
      }
      h.append("</td><td>").append(esc(t.id().environment())).append("</td><td>").append(t.shard()).append("</td><td>")
          .append(t.owner() == null ? "<small>" + GroupView.UNKNOWN + "</small>" : "<code>" + esc(t.owner()) + "</code>")
          .append(t.here() ? " <small>(this instance)</small>" : "").append("</td><td>")
          .append(esc(PageAssets.word(t.verdict())));
      if (!t.openBreaches().isEmpty()) {
        h.append(" <span class=\"open\">▲ breach open</span>");
      }
      h.append("</td><td>").append(Html.pct(t.score())).append("</td><td>").append(Html.timeAgo(t.savedAt(), g.takenAt()))
          .append("</td></tr>");
    }
    h.append("</tbody></table>");
    if (g.targets().size() > ROWS) {
      h.append("<p><small>The first ").append(ROWS).append(" of ").append(g.targets().size())
          .append(" targets; <a href=\"/api/v1/fleet\">/api/v1/fleet</a> has them all.</small></p>");
    }
    return h.toString();
  }

  /** {@code 0–3, 7, 9–12}: ranges of consecutive shards. */
  static String shardList(List<Integer> owned) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < owned.size(); i++) {
      int start = owned.get(i);
      int end = start;
      while (i + 1 < owned.size() && owned.get(i + 1) == end + 1) {
        end = owned.get(++i);
      }
      b.append(b.length() == 0 ? "" : ", ").append(start).append(end == start ? "" : (end == start + 1 ? ", " : "–") + end);
    }
    return b.toString();
  }
}
